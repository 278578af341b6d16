// Entry point of the `fisherkit` command line: run, report, and the hidden worker mode.
using FisherKit.Notebooks.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
