// Runtime queries: errors, ABI version, build information, threads, seeds, generators, devices.
#include "fk_common.h"

#include <cstdlib>
#include <sstream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Bump when an export changes signature or meaning; FisherKit.Torch refuses a mismatched library.
static constexpr int32_t FK_ABI_VERSION = 3;

namespace {
thread_local std::string last_error;
thread_local int32_t last_category = FK_OK;
std::string build_info_text;
}  // namespace

namespace fk {
void set_error(fk_status category, const char* message) {
  last_category = category;
  last_error = message ? message : "";
}
bool backtraces_enabled() {
  static const bool on = [] {
    const char* v = std::getenv("FISHERKIT_NATIVE_BACKTRACE");
    return v && v[0] == '1';
  }();
  return on;
}
}  // namespace fk

// Text of the calling thread's last error; owned by the shim, valid until that thread's next call.
FK_API const char* fk_last_error() { return last_error.c_str(); }
FK_API int32_t fk_last_error_category() { return last_category; }
FK_API int32_t fk_abi_version() { return FK_ABI_VERSION; }

// "key=value" lines: libtorch version, CUDA, BLAS, parallel backend, library location.
FK_API int32_t fk_build_info(const char** out) {
  FK_GUARDED({
    if (build_info_text.empty()) {
      std::ostringstream s;
      s << "abi=" << FK_ABI_VERSION << "\n";
      s << "torch_version=" << TORCH_VERSION_MAJOR << "." << TORCH_VERSION_MINOR << "." << TORCH_VERSION_PATCH << "\n";
      s << "cuda_compiled=" << (torch::cuda::is_available() || at::hasCUDA() ? 1 : 0) << "\n";
      s << "mkldnn=" << (at::hasMKLDNN() ? 1 : 0) << "\n";
      s << "mkl=" << (at::hasMKL() ? 1 : 0) << "\n";
      s << "openmp=" << (at::hasOpenMP() ? 1 : 0) << "\n";
      s << "torch_location=" << FK_TORCH_LOCATION << "\n";
      s << "config=" << at::show_config();
      build_info_text = s.str();
    }
    *out = build_info_text.c_str();
  });
}

// glibc malloc: keep up to trim_threshold bytes of freed memory at the top of the heap, serve blocks
// below mmap_threshold from the heap, and grow it by top_pad extra. Without this, glibc returns the
// memory of every training step's large gradients to the OS and faults it back in on the next step.
// *applied = 1 when all three settings were accepted, 0 on other C libraries or rejected values.
FK_API int32_t fk_malloc_tune(int64_t trim_threshold, int64_t mmap_threshold, int64_t top_pad, int32_t* applied) {
  FK_GUARDED({
#if defined(__GLIBC__)
    *applied = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold)) == 1 &&
               mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold)) == 1 &&
               mallopt(M_TOP_PAD, static_cast<int>(top_pad)) == 1 ? 1 : 0;
#else
    *applied = 0;
#endif
  });
}

FK_API int32_t fk_set_num_threads(int32_t n) { FK_GUARDED(at::set_num_threads(n)); }
FK_API int32_t fk_get_num_threads(int32_t* out) { FK_GUARDED(*out = at::get_num_threads()); }
FK_API int32_t fk_cuda_is_available(int32_t* out) { FK_GUARDED(*out = torch::cuda::is_available() ? 1 : 0); }
FK_API int32_t fk_cuda_device_count(int32_t* out) { FK_GUARDED(*out = static_cast<int32_t>(torch::cuda::device_count())); }
FK_API int32_t fk_cuda_synchronize(int32_t device) { FK_GUARDED(torch::cuda::synchronize(device)); }
FK_API int32_t fk_manual_seed(uint64_t seed) { FK_GUARDED(torch::manual_seed(seed)); }
FK_API int32_t fk_set_grad_enabled(int32_t on) { FK_GUARDED(at::GradMode::set_enabled(on != 0)); }
FK_API int32_t fk_is_grad_enabled(int32_t* out) { FK_GUARDED(*out = at::GradMode::is_enabled() ? 1 : 0); }

FK_API int32_t fk_generator_new(int32_t device_type, uint64_t seed, fk_generator* out) {
  FK_GUARDED({
    at::Generator g = static_cast<at::DeviceType>(device_type) == at::kCUDA
        ? at::globalContext().defaultGenerator(at::Device(at::kCUDA)).clone()
        : at::make_generator<at::CPUGeneratorImpl>(seed);
    g.set_current_seed(seed);
    *out = new at::Generator(std::move(g));
  });
}
FK_API void fk_generator_free(fk_generator g) { delete g; }
FK_API int32_t fk_generator_manual_seed(fk_generator g, uint64_t seed) { FK_GUARDED(g->set_current_seed(seed)); }
FK_API int32_t fk_generator_initial_seed(fk_generator g, uint64_t* out) { FK_GUARDED(*out = g->current_seed()); }
