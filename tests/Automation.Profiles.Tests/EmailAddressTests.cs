using Automation.Profiles.Model;
using FluentAssertions;
using Xunit;

namespace Automation.Profiles.Tests;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("ada@example.com", true)]
    [InlineData("ada+news@bücher.example", true)]
    [InlineData("jörg@example.de", false)]
    [InlineData("李雷@example.cn", false)]
    [InlineData("\"strange@local\"@example.com", true)]
    public void Only_the_local_part_decides_whether_an_address_needs_SMTPUTF8(string address, bool ascii)
    {
        EmailAddresses.HasAsciiLocalPart(address).Should().Be(ascii);
    }

    [Theory]
    [InlineData("The client or server is only configured for E-mail addresses with ASCII local-parts: jörg@example.de.", "The client or server is only configured for E-mail addresses with ASCII local-parts: <address>")]
    [InlineData("550 5.1.1 <ada@example.com>: user unknown", "550 5.1.1 <<address>>: user unknown")]
    [InlineData("no address here", "no address here")]
    [InlineData("to 李雷@example.cn and ada@example.com", "to <address> and <address>")]
    public void Masking_replaces_every_address_whatever_its_script(string text, string masked)
    {
        EmailAddresses.Masked(text).Should().Be(masked);
    }
}
