// Loads FisherKit's native library by making one tensor. Prints "ok" (exit 0), or the exception's
// type and message (exit 3), which the tests read.
using static FisherKit.Torch.torch;

try
{
    using var x = zeros(2);
    Console.WriteLine("ok " + x.sum().item());
    return 0;
}
catch (Exception e)
{
    Console.WriteLine(e.GetType().FullName);
    Console.WriteLine(e.Message);
    return 3;
}
