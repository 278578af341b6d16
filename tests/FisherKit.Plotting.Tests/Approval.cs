using System.Runtime.CompilerServices;

namespace FisherKit.Plotting.Tests;

/// <summary>
/// Snapshot ("approval") checks: the text must equal the committed file Approved/NAME.json. On a
/// difference the new text is written next to it as NAME.received.json and the test fails; to
/// accept a deliberate change, review the received file and rename it.
/// </summary>
internal static class Approval
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerFile = "")
    {
        var dir = Path.Combine(Path.GetDirectoryName(callerFile)!, "Approved");
        var approved = Path.Combine(dir, name + ".json");
        var received = Path.Combine(dir, name + ".received.json");
        actual = actual.Replace("\r\n", "\n") + "\n";
        if (File.Exists(approved) && File.ReadAllText(approved).Replace("\r\n", "\n") == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(approved)
            ? $"{name}: JSON differs from {approved}; see {received}."
            : $"{name}: no approved snapshot yet; review {received} and rename it to {Path.GetFileName(approved)}.");
    }
}
