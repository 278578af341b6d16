# X-ray attenuation data for the virtual CDMAM simulator: Debian's python3-xraylib (xraylib 4.0) is what
# src/FisherKit/Simulators/Mammography/tables/make_tables.py reads to generate the committed tables, and
# what the test that regenerates and compares them uses. FisherKit itself reads only the committed tables.
fk_apt_install python3-xraylib
