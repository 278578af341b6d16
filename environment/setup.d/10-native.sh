# libtorch (Debian's 1.13.1, CPU) with OpenBLAS, and the tools to build the native shim.
# Another libtorch (an official CUDA archive, or the `torch` folder of a Python installation) is
# used instead when LIBTORCH or Torch_DIR is set; then Debian's libtorch is not installed.
if [ -z "${LIBTORCH:-}" ] && [ -z "${Torch_DIR:-}" ]; then
  fk_apt_install libtorch-dev libopenblas0-pthread cmake g++ make
  # The reference BLAS is ~10x slower than OpenBLAS here: make sure OpenBLAS is the active libblas.so.3.
  blas_alt="libblas.so.3-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
  current="$(update-alternatives --query "$blas_alt" 2>/dev/null | awk '/^Value:/ {print $2}')"
  case "$current" in
    *openblas*) ;;
    *)
      openblas="$(update-alternatives --list "$blas_alt" 2>/dev/null | grep openblas | head -n1)"
      if [ -n "$openblas" ]; then
        fk_log "selecting OpenBLAS as $blas_alt"
        sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
        $sudo_cmd update-alternatives --set "$blas_alt" "$openblas" >/dev/null
      else
        fk_log "WARNING: OpenBLAS is not available as $blas_alt; matrix products will be slow"
      fi
      ;;
  esac
else
  fk_apt_install cmake g++ make
fi
