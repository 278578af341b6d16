# The Jupyter kernel (`fisherkit kernel`) needs ZeroMQ: Debian's libzmq5, called through P/Invoke.
# The kernel's tests (environment/test.sh sets FK_TESTING=1; FK_JUPYTER=1 asks for it too) drive it
# with Debian's Jupyter client, nbclient, nbconvert and the classic notebook server.
# Quiet when everything is installed.
fk_apt_install libzmq5
if [ "${FK_TESTING:-0}" = "1" ] || [ "${FK_JUPYTER:-0}" = "1" ]; then
  fk_apt_install python3-jupyter-client python3-nbclient jupyter-nbconvert jupyter-notebook
fi
