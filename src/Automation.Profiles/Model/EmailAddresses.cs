using System.Text.RegularExpressions;

namespace Automation.Profiles.Model;

/// <summary>Email addresses as the pipeline handles them: what a channel can deliver to, and text that never shows one.</summary>
public static partial class EmailAddresses
{
    /// <summary>
    /// True when the part before the last @ is ASCII. A local part beyond ASCII (jörg@…, 李@…) needs a
    /// channel with SMTPUTF8 (RFC 6531) all the way; the domain part does not, it has an ASCII form (IDNA).
    /// </summary>
    public static bool HasAsciiLocalPart(string address)
    {
        var at = address.LastIndexOf('@');
        return System.Text.Ascii.IsValid(at < 0 ? address : address.AsSpan(0, at));
    }

    /// <summary>
    /// <paramref name="text"/> with every email address in it replaced by "&lt;address&gt;": what is
    /// recorded or printed of a provider's answer or an exception never names a customer's address.
    /// </summary>
    public static string Masked(string text) => Address().Replace(text, "<address>");

    [GeneratedRegex(@"[^\s<>""'(),;:\[\]]+@[^\s<>""'(),;:\[\]]+")]
    private static partial Regex Address();
}

/// <summary>
/// What the configured delivery channel can deliver to, as ingestion, planning and delivery need to
/// know it: an address it cannot take is warned about when it arrives and never planned, rather than
/// failing on every run.
/// </summary>
/// <param name="Channel">The channel's name, for the reasons ("SendGrid").</param>
/// <param name="NonAsciiLocalParts">Whether it delivers to a local part beyond ASCII (SMTPUTF8).</param>
public sealed record AddressSupport(string Channel, bool NonAsciiLocalParts)
{
    /// <summary>No channel known (a test of one stage): every syntactically valid address is taken.</summary>
    public static readonly AddressSupport Any = new("the channel", NonAsciiLocalParts: true);

    /// <summary>Why the channel cannot deliver to <paramref name="address"/>, or <c>null</c> when it can. Never quotes the address.</summary>
    public string? Problem(string address) => NonAsciiLocalParts || EmailAddresses.HasAsciiLocalPart(address)
        ? null
        : $"the address's local part (before the @) is not ASCII, and {Channel} cannot deliver to such an address (it needs SMTPUTF8)";
}
