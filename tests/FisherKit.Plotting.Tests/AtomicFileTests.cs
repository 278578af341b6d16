using FisherKit.Files;

namespace FisherKit.Plotting.Tests;

/// <summary>Files written through a temporary name: what happens to the file that was there.</summary>
public class AtomicFileTests
{
    [Fact]
    public void A_replaced_file_keeps_its_permissions_and_a_link_is_written_through()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = Directory.CreateTempSubdirectory("fk-atomic-");
        try
        {
            var secret = Path.Combine(dir.FullName, "secret.csv");
            File.WriteAllText(secret, "old");
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            AtomicFile.WriteAllText(secret, "new");
            Assert.Equal("new", File.ReadAllText(secret));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
            // Private already while it is written: the temporary file is made with the old mode.
            // Private already while written: WriteAllText and WriteAllBytes make the temporary file with the old mode first.
            UnixFileMode? whileWritten = null;
            AtomicFile.Write(secret, tmp => { whileWritten = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(tmp); File.WriteAllText(tmp, "newer"); }, precreate: true);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, whileWritten);
            Assert.Equal("newer", File.ReadAllText(secret));

            var shared = Path.Combine(dir.FullName, "shared.html");
            File.WriteAllText(shared, "old");
            var link = Path.Combine(dir.FullName, "link.html");
            File.CreateSymbolicLink(link, shared);
            AtomicFile.WriteAllText(link, "new");
            Assert.Equal("new", File.ReadAllText(shared));
            Assert.Equal(shared, new FileInfo(link).LinkTarget);

            var dangling = Path.Combine(dir.FullName, "dangling.json");
            File.CreateSymbolicLink(dangling, Path.Combine(dir.FullName, "made.json"));
            AtomicFile.WriteAllText(dangling, "{}");
            Assert.Equal("{}", File.ReadAllText(Path.Combine(dir.FullName, "made.json")));

            Assert.Equal(["dangling.json", "link.html", "made.json", "secret.csv", "shared.html"], Directory.GetFiles(dir.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
