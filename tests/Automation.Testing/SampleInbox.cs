namespace Automation.Testing;

/// <summary>
/// A private copy of samples/inbox: ingestion writes its reports next to each export, so tests that
/// run at the same time must not share one folder.
/// </summary>
public static class SampleInbox
{
    public static string CopyTo(TempFolder folder)
    {
        var inbox = folder.File("inbox");
        Directory.CreateDirectory(inbox);
        foreach (var export in new[] { "customers.csv", "transactions.csv", "consents.csv" })
        {
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "inbox", export), Path.Combine(inbox, export), overwrite: true);
        }

        return inbox;
    }
}
