// Shared plumbing of the FisherKit C ABI: handle types, the one error guard every export goes
// through, and argument conversions. Every export returns an int32 status (0 = ok) and writes its
// results through out-pointers; no C++ exception ever crosses the ABI.
#pragma once

#include <torch/torch.h>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#define FK_API extern "C" __attribute__((visibility("default")))

using fk_tensor = at::Tensor*;
using fk_generator = at::Generator*;

// Error categories; FisherKit.Torch maps each to a .NET exception type.
enum fk_status : int32_t {
  FK_OK = 0,
  FK_ERR_ARGUMENT = 1,       // shapes, dtypes, index out of range, invalid values
  FK_ERR_STATE = 2,          // e.g. backward through a freed graph
  FK_ERR_OUT_OF_MEMORY = 3,
  FK_ERR_DEVICE = 4,         // CUDA missing or failing
  FK_ERR_NOT_SUPPORTED = 5,  // op not implemented for this dtype/device
  FK_ERR_LINALG = 6,         // singular matrix, failed decomposition
  FK_ERR_INTERNAL = 7,       // anything else
};

namespace fk {

void set_error(fk_status category, const char* message);
bool backtraces_enabled();

template <class F>
int32_t guard(F&& body) noexcept {
  try {
    body();
    return FK_OK;
  } catch (const c10::OutOfMemoryError& e) {
    set_error(FK_ERR_OUT_OF_MEMORY, backtraces_enabled() ? e.what() : e.what_without_backtrace());
    return FK_ERR_OUT_OF_MEMORY;
  } catch (const c10::LinAlgError& e) {
    set_error(FK_ERR_LINALG, backtraces_enabled() ? e.what() : e.what_without_backtrace());
    return FK_ERR_LINALG;
  } catch (const c10::NotImplementedError& e) {
    set_error(FK_ERR_NOT_SUPPORTED, backtraces_enabled() ? e.what() : e.what_without_backtrace());
    return FK_ERR_NOT_SUPPORTED;
  } catch (const c10::Error& e) {
    const char* msg = backtraces_enabled() ? e.what() : e.what_without_backtrace();
    std::string text(msg);
    fk_status cat = FK_ERR_ARGUMENT;
    if (text.find("can't allocate memory") != std::string::npos || text.find("not enough memory") != std::string::npos) cat = FK_ERR_OUT_OF_MEMORY;
    else if (text.find("CUDA") != std::string::npos || text.find("cuda") != std::string::npos) cat = FK_ERR_DEVICE;
    else if (text.find("Trying to backward through the graph a second time") != std::string::npos ||
             text.find("does not require grad") != std::string::npos ||
             text.find("modified by an inplace operation") != std::string::npos) cat = FK_ERR_STATE;
    set_error(cat, msg);
    return cat;
  } catch (const std::bad_alloc&) {
    set_error(FK_ERR_OUT_OF_MEMORY, "out of memory (std::bad_alloc)");
    return FK_ERR_OUT_OF_MEMORY;
  } catch (const std::logic_error& e) {  // invalid_argument, out_of_range, domain_error, length_error
    set_error(FK_ERR_ARGUMENT, e.what());
    return FK_ERR_ARGUMENT;
  } catch (const std::runtime_error& e) {
    // A few libtorch checks throw plain runtime_error, e.g. reshape's "shape '[5]' is invalid for input of size 6".
    const bool shape = std::string(e.what()).find("is invalid for input of size") != std::string::npos;
    set_error(shape ? FK_ERR_ARGUMENT : FK_ERR_INTERNAL, e.what());
    return shape ? FK_ERR_ARGUMENT : FK_ERR_INTERNAL;
  } catch (const std::exception& e) {
    set_error(FK_ERR_INTERNAL, e.what());
    return FK_ERR_INTERNAL;
  } catch (...) {
    set_error(FK_ERR_INTERNAL, "unknown C++ exception");
    return FK_ERR_INTERNAL;
  }
}

// A result handle; undefined tensors (e.g. the gradient of an unused input) become null.
inline fk_tensor wrap(at::Tensor t) { return t.defined() ? new at::Tensor(std::move(t)) : nullptr; }

inline at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

// Scalars cross the ABI as double. An integral value becomes an integer Scalar (a Python int), any
// other a floating one (a Python float): int64 tensors stay int64 under x + 1, x * 2 or add(y, alpha=1),
// as in PyTorch, while x * 0.5 promotes to floating point.
inline at::Scalar scalar(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && v >= -9.2e18 && v <= 9.2e18) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

inline at::IntArrayRef dims(const int64_t* p, int64_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

inline std::vector<at::Tensor> tensors(const fk_tensor* p, int64_t n) {
  std::vector<at::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v.push_back(p[i] ? *p[i] : at::Tensor());
  return v;
}

inline c10::optional<at::Tensor> opt(fk_tensor t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}

inline c10::optional<at::Generator> gen(fk_generator g) {
  return g ? c10::optional<at::Generator>(*g) : c10::nullopt;
}

// Returns a malloc'ed array of handles (freed by fk_handles_free); the count goes to *n.
inline void wrap_list(const std::vector<at::Tensor>& v, fk_tensor** out, int64_t* n) {
  auto* arr = static_cast<fk_tensor*>(std::malloc(sizeof(fk_tensor) * (v.empty() ? 1 : v.size())));
  if (!arr) throw std::bad_alloc();
  for (size_t i = 0; i < v.size(); ++i) arr[i] = wrap(v[i]);
  *out = arr;
  *n = static_cast<int64_t>(v.size());
}

}  // namespace fk

// Compact export definitions: FK_FN(name, params...) { body } becomes a guarded extern "C" function.
#define FK_GUARDED(...) return fk::guard([&] { __VA_ARGS__; })
