using Automation.Personalization.Links;

namespace Automation.Hosting;

/// <summary>
/// The link key of a host on one machine when none is configured: made once, at random, in the data
/// folder next to the embedded store, readable by its owner only. Every command on the folder then
/// signs and verifies with the same key, so links in mail keep working across runs.
/// </summary>
public sealed class DataFolderLinkKey(string dataDirectory) : ILinkKeyFallback
{
    public const string FileName = "link-key";
    private readonly Lazy<LinkKeys> _keys = new(() => LoadOrCreate(dataDirectory));

    public LinkKeys Load() => _keys.Value;

    private static LinkKeys LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        // The first process in wins; every other one reads its key.
        if (!File.Exists(path)) OwnerOnlyFile.Write(path, replace: false, stream => stream.Write(System.Text.Encoding.ASCII.GetBytes(LinkKeys.NewKeyText() + "\n")));
        return LinkKeys.Parse(File.ReadAllText(path)) is { } key
            ? new LinkKeys([key])
            : throw new InvalidOperationException(
                $"{Path.GetFullPath(path)} does not hold a link key. Delete it to have a new one made; links in mail already sent then stop working.");
    }
}
