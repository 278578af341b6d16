// Entry point of the `fisherkit` command line (run, report, kernel).
return 0;
