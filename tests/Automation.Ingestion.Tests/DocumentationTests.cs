using Automation.Ingestion.Formats;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Ingestion.Tests;

/// <summary>The export format documentation lists exactly the columns and header spellings the code accepts.</summary>
public sealed class DocumentationTests
{
    [Theory]
    [InlineData(ExportKind.Customers)]
    [InlineData(ExportKind.Transactions)]
    [InlineData(ExportKind.Consents)]
    [InlineData(ExportKind.Erasures)]
    public void The_documented_columns_and_aliases_are_the_accepted_ones(ExportKind kind)
    {
        var schema = ExportSchema.For(kind);
        var documented = DocumentedColumns(kind);

        var accepted = schema.AliasTable.ToDictionary(
            c => c.Column,
            c => c.Aliases.ToHashSet(StringComparer.Ordinal));
        // Latitude and longitude share one row of the customers table.
        var expectedColumns = kind == ExportKind.Customers
            ? schema.Columns.Except(["latitude", "longitude"]).Append("latitude, longitude")
            : schema.Columns;
        documented.Keys.Should().BeEquivalentTo(expectedColumns);
        foreach (var (column, aliases) in documented)
        {
            var expected = column == "latitude, longitude"
                ? accepted["latitude"].Concat(accepted["longitude"]).ToHashSet(StringComparer.Ordinal)
                : accepted[column];
            // A documented spelling of the column's own name (e-mail for email) is not an alias.
            var documentedAliases = aliases.Where(a => column.Split(", ").All(c => a != ExportSchema.Normalize(c)));
            documentedAliases.Should().BeEquivalentTo(expected, $"docs/export-format.md lists the aliases of {kind} {column}");
        }
    }

    /// <summary>Reads the "| column | required | accepted aliases | rule |" table under "## kind".</summary>
    private static Dictionary<string, HashSet<string>> DocumentedColumns(ExportKind kind)
    {
        var lines = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "docs", "export-format.md"));
        var heading = Array.IndexOf(lines, "## " + kind.ToString().ToLowerInvariant());
        heading.Should().BeGreaterThan(0, $"docs/export-format.md has a section for {kind}");
        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(heading + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var aliases = cells[3]
                .Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(a => !a.StartsWith("as for", StringComparison.Ordinal) && !a.StartsWith("except", StringComparison.Ordinal))
                .Select(ExportSchema.Normalize);
            columns[cells[1]] = [.. aliases, .. InheritedAliases(cells[3], kind)];
        }

        return columns;
    }

    /// <summary>"as for customers, except id" and "as for transactions": the customer id aliases written once.</summary>
    private static IEnumerable<string> InheritedAliases(string cell, ExportKind kind)
    {
        if (!cell.Contains("as for", StringComparison.Ordinal)) return [];
        var customers = ExportSchema.Customers.AliasTable.Single(c => c.Column == "customer_id").Aliases;
        return kind == ExportKind.Customers ? customers : customers.Where(a => a != "id");
    }
}
