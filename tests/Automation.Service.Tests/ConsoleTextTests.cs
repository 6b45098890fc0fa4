using System.Text.RegularExpressions;
using Automation.MarketerConsole.Text;
using Automation.Testing;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Automation.Service.Tests;

/// <summary>The console in the marketer's language: every sentence it looks up is translated, and the language is the one the marketer asked for.</summary>
public sealed partial class ConsoleTextTests
{
    private static readonly string Sources = Path.Combine(SharedData.RepositoryRoot, "src", "Automation.MarketerConsole");

    /// <summary>The English sentences the console's sources look up by their text.</summary>
    private static HashSet<string> LookedUp() =>
        [.. Directory.EnumerateFiles(Sources, "*.*", SearchOption.AllDirectories)
            .Where(file => (file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal)) && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => LookUp().Matches(File.ReadAllText(file)))
            .Select(match => match.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal))];

    [Fact]
    public void Every_sentence_the_console_looks_up_is_translated_in_each_language_with_its_placeholders()
    {
        var translated = ConsoleText.Translated();
        translated.Keys.Should().BeEquivalentTo(["ru", "zh", "it"]);
        var lookedUp = LookedUp();
        lookedUp.Should().Contain(["Plan", "Sign out", "The recorded plan of {0}.", "Show the effect on the plan"], "the search finds the pages' sentences");

        foreach (var (language, sentences) in translated)
        {
            sentences.Should().BeEquivalentTo(translated["ru"], $"{language} translates the same sentences as ru");
            lookedUp.Except(sentences).Should().BeEmpty($"every sentence is translated into {language}");
            var text = ConsoleFor(language);
            foreach (var sentence in sentences)
            {
                Placeholders(text[sentence]).Should().BeEquivalentTo(Placeholders(sentence), $"{language}: {sentence}");
                text[sentence].Should().NotBeNullOrWhiteSpace();
            }
        }
    }

    [Fact]
    public void A_translation_is_kept_only_for_a_sentence_some_source_still_says()
    {
        var sources = string.Join("\n", Directory.EnumerateFiles(Sources, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".razor", StringComparison.Ordinal) || file.EndsWith(".cs", StringComparison.Ordinal))
            .Append(Path.Combine(SharedData.RepositoryRoot, "src", "Automation.Planning", "Policies", "ReasonCodes.cs"))
            .Select(File.ReadAllText));

        ConsoleText.Translated()["ru"].Where(sentence => !sources.Contains($"\"{sentence.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", StringComparison.Ordinal))
            .Should().BeEmpty("a sentence no page says any more is dead weight");
    }

    [Theory]
    [InlineData(null, null, "de-DE, ru;q=0.8, en;q=0.5", "ru")]
    [InlineData(null, null, "zh-CN,zh;q=0.9", "zh")]
    [InlineData(null, null, "fr-FR, de", "en")]
    [InlineData(null, null, null, "en")]
    [InlineData("it", null, "ru", "it")]
    [InlineData(null, "zh", "ru", "zh")]
    [InlineData("xx", "it", "ru", "it")]
    public void The_language_is_the_one_chosen_then_the_remembered_one_then_the_browsers_first_the_console_speaks(string? chosen, string? remembered, string? browser, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/console/plan";
        context.Request.QueryString = new QueryString("?date=2026-11-23" + (chosen is null ? "" : $"&lang={chosen}"));
        if (remembered is not null) context.Request.Headers.Cookie = $"{ConsoleText.LanguageCookie}={remembered}";
        if (browser is not null) context.Request.Headers.AcceptLanguage = browser;

        var text = ConsoleText.Of(context);

        text.Language.Should().Be(expected);
        text.Links.Select(link => link.Url).Should().Equal(
            "/console/plan?date=2026-11-23&lang=en", "/console/plan?date=2026-11-23&lang=ru", "/console/plan?date=2026-11-23&lang=zh", "/console/plan?date=2026-11-23&lang=it");
        text.Links.Single(link => link.Current).Language.Should().Be(expected);
    }

    [Fact]
    public void English_is_the_fallback_for_a_sentence_without_a_translation()
    {
        ConsoleFor("ru")["Plan"].Should().Be("План");
        ConsoleFor("ru")["A sentence nobody translated"].Should().Be("A sentence nobody translated");
        ConsoleFor("it").Format("The plan of {0}: {1}.", "2026-11-25", "x").Should().Be("Il piano del 2026-11-25: x.");
    }

    private static ConsoleText ConsoleFor(string language)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString($"?lang={language}");
        return ConsoleText.Of(context);
    }

    private static List<string> Placeholders(string sentence) => [.. Placeholder().Matches(sentence).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?:Text|text|ConsoleText\.Of\(context\))(?:\[|\.Format\()\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LookUp();
}
