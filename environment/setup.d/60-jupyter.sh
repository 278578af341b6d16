# The Jupyter kernel (`fisherkit kernel`): ZeroMQ from Debian's libzmq5, called through P/Invoke.
# For the kernel's tests (and to use the kernel from Jupyter on this machine), Debian's Jupyter
# client, nbclient, nbconvert and the classic notebook server. Quiet when all are installed.
fk_apt_install libzmq5 python3-jupyter-client python3-nbclient jupyter-nbconvert jupyter-notebook
