Console.WriteLine("FisherKit benchmarks: see bench/README.md");
