using System.Text;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Hosting.Tests;

public sealed class OwnerOnlyFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_file_is_its_owners_only_the_first_writer_wins_without_replace_and_a_failed_write_leaves_nothing()
    {
        var path = _folder.File("secret");

        OwnerOnlyFile.Write(path, replace: false, s => s.Write("first"u8)).Should().BeTrue();
        OwnerOnlyFile.Write(path, replace: false, s => s.Write("second"u8)).Should().BeFalse("another process wrote it first");
        var failed = () => OwnerOnlyFile.Write(_folder.File("export.json"), replace: true, s =>
        {
            s.Write("half of a customer's data"u8);
            throw new IOException("the disk is full");
        });

        failed.Should().Throw<IOException>();
        File.ReadAllText(path, Encoding.UTF8).Should().Be("first");
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Should().Equal("secret");
    }
}
