// Defines std::ios_base_library_init(), which GCC 13's libstdc++ (GLIBCXX_3.4.32) exports and
// libraries built with GCC 13 reference from every translation unit that includes <iostream>.
// Older libstdc++ initialises the standard streams itself; constructing ios_base::Init once here
// does what the GCC 13 function does. Built by environment/setup.d/15-torchsharp.sh only on
// systems whose libstdc++ lacks the symbol.
#include <ios>

namespace std {
void ios_base_library_init() {
  static ios_base::Init init;
}
}  // namespace std
