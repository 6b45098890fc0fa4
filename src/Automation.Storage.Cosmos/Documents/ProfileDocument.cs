using System.Buffers;
using System.Text.Json;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;

namespace Automation.Storage.Cosmos.Documents;

/// <summary>
/// One customer's document in the <c>profiles</c> container: the profile, the identities of the
/// transaction lines it counted, and the message index. Lines live in the same document as the profile
/// because Cosmos DB writes one document atomically: a profile is never saved without the lines that
/// changed it, or the other way round, so "never double-counted" needs no transaction across documents.
/// </summary>
internal sealed class ProfileDocument : IRecordedLines
{
    private readonly Dictionary<string, List<RecordedLine>> _orders;
    private readonly List<string> _sources;
    private readonly Dictionary<string, int> _sourceIndex;
    private readonly List<(string MessageId, JsonElement Entry)> _messages;
    // Unix seconds: the lines before it were folded (ILineFolding); null while none were.
    private long? _foldedBefore;

    private ProfileDocument(
        CustomerProfile profile, Dictionary<string, List<RecordedLine>> orders, List<string> sources, List<(string, JsonElement)> messages, long? foldedBefore)
    {
        Profile = profile;
        _foldedBefore = foldedBefore;
        _orders = orders;
        _sources = sources;
        _messages = messages;
        _sourceIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++) _sourceIndex[sources[i]] = i;
    }

    public CustomerProfile Profile { get; }

    public static ProfileDocument New(string customerId) => new(new CustomerProfile(customerId), new(StringComparer.Ordinal), [], [], null);

    public static ProfileDocument Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    public static ProfileDocument Parse(JsonElement root)
    {
        var orders = new Dictionary<string, List<RecordedLine>>(StringComparer.Ordinal);
        if (root.TryGetProperty("lines", out var lines))
        {
            foreach (var order in lines.EnumerateObject())
            {
                var recorded = new List<RecordedLine>(order.Value.GetArrayLength());
                foreach (var line in order.Value.EnumerateArray())
                {
                    // A line recorded before the document kept its time has four elements, and is never folded.
                    var occurredAt = line.GetArrayLength() > 4 ? line[4].GetInt64() : (long?)null;
                    recorded.Add(new RecordedLine(line[0].GetString()!, line[1].GetString(), line[2].GetInt32(), line[3].GetInt64(), occurredAt));
                }

                orders[order.Name] = recorded;
            }
        }

        var sources = root.TryGetProperty("sources", out var sourceList) ? sourceList.EnumerateArray().Select(s => s.GetString()!).ToList() : [];
        var messages = root.TryGetProperty(MessageIndex.Property, out var index) && index.ValueKind == JsonValueKind.Object
            ? index.EnumerateObject().Select(m => (m.Name, m.Value.Clone())).ToList()
            : [];
        var foldedBefore = root.TryGetProperty(FoldedBeforeProperty, out var folded) && folded.ValueKind == JsonValueKind.Number ? folded.GetInt64() : (long?)null;
        return new ProfileDocument(ProfileJson.Deserialize(root.GetProperty("profile")), orders, sources, messages, foldedBefore);
    }

    /// <summary>
    /// The document to write. Message-index entries planned more than <paramref name="retentionDays"/>
    /// before the newest one go: their message documents have expired by then.
    /// </summary>
    public ReadOnlyMemory<byte> Serialize(int retentionDays, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("id", Profile.CustomerId);
        writer.WriteString("customerId", Profile.CustomerId);
        writer.WritePropertyName("profile");
        ProfileJson.Write(writer, Profile);
        writer.WriteStartObject("lines");
        foreach (var (transactionId, recorded) in _orders)
        {
            writer.WriteStartArray(transactionId);
            foreach (var line in recorded)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(line.Line);
                if (line.Category is null) writer.WriteNullValue();
                else writer.WriteStringValue(line.Category);
                writer.WriteNumberValue(line.Source);
                writer.WriteNumberValue(line.SourceLine);
                if (line.OccurredAt is { } occurredAt) writer.WriteNumberValue(occurredAt);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        if (_foldedBefore is { } foldedBefore) writer.WriteNumber(FoldedBeforeProperty, foldedBefore);
        writer.WriteStartArray("sources");
        foreach (var source in _sources) writer.WriteStringValue(source);
        writer.WriteEndArray();
        writer.WriteStartObject(MessageIndex.Property);
        if (_messages.Count > 0)
        {
            var cutoff = _messages.Max(m => MessageIndex.PlannedFor(m.Entry)).PlusDays(-retentionDays);
            foreach (var (messageId, entry) in _messages)
            {
                if (MessageIndex.PlannedFor(entry) < cutoff) continue;
                writer.WritePropertyName(messageId);
                entry.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>Classifies and merges changes in order, as every backend does (<see cref="ChangeApplier"/>); true when the document changed.</summary>
    public bool Apply(IReadOnlyList<ProfileChange> changes, ref ApplyResult result)
    {
        var changed = false;
        foreach (var change in changes)
        {
            var (outcome, novelty) = ChangeApplier.Classify(change, this);
            switch (outcome)
            {
                case ChangeOutcome.Applied:
                    ChangeApplier.Merge(Profile, change, novelty);
                    changed = true;
                    result += new ApplyResult(1, 0);
                    break;
                case ChangeOutcome.Replayed:
                    result += new ApplyResult(1, 0);
                    break;
                case ChangeOutcome.Duplicate:
                    result += new ApplyResult(0, 1);
                    break;
            }
        }

        return changed;
    }

    public TransactionNovelty? TryRecord(TransactionLine line)
    {
        var lineKey = line.Line ?? string.Empty;
        if (!_orders.TryGetValue(line.TransactionId, out var recorded))
        {
            recorded = [];
            _orders[line.TransactionId] = recorded;
        }

        var otherLinesOfCategory = false;
        foreach (var existing in recorded)
        {
            if (existing.Line == lineKey) return null;
            otherLinesOfCategory |= line.Category is not null && existing.Category == line.Category;
        }

        var isNewOrder = recorded.Count == 0;
        recorded.Add(new RecordedLine(lineKey, line.Category, SourceIndex(line.Source.FileId), line.Source.Line, line.OccurredAt.ToInstant().ToUnixTimeSeconds()));
        return new TransactionNovelty(IsNewOrder: isNewOrder, IsNewCategoryInOrder: line.Category is not null && !otherLinesOfCategory);
    }

    public bool IsFolded(TransactionLine line) => _foldedBefore is { } before && line.OccurredAt.ToInstant().ToUnixTimeSeconds() < before;

    /// <summary>
    /// Drops the lines that occurred before <paramref name="before"/> (Unix seconds) and moves the fold
    /// point there (never back); returns how many went.
    /// </summary>
    public int FoldBefore(long before)
    {
        var folded = 0;
        foreach (var (transactionId, recorded) in _orders.ToList())
        {
            folded += recorded.RemoveAll(l => l.OccurredAt < before);
            if (recorded.Count == 0) _orders.Remove(transactionId);
        }

        if (folded > 0) _foldedBefore = Math.Max(_foldedBefore ?? before, before);
        return folded;
    }

    /// <summary>The recorded lines with their sources, in transaction id and line order.</summary>
    public IEnumerable<StoredLine> Lines =>
        _orders.OrderBy(o => o.Key, StringComparer.Ordinal).SelectMany(order => order.Value.OrderBy(l => l.Line, StringComparer.Ordinal).Select(l =>
            new StoredLine(order.Key, l.Line.Length == 0 ? null : l.Line, l.Category, new LineSource(_sources[l.Source], l.SourceLine))));

    public LineSource SourceOf(string customerId, string transactionId, string? line)
    {
        var lineKey = line ?? string.Empty;
        var recorded = _orders[transactionId].First(l => l.Line == lineKey);
        return new LineSource(_sources[recorded.Source], recorded.SourceLine);
    }

    private int SourceIndex(string contentId)
    {
        if (_sourceIndex.TryGetValue(contentId, out var index)) return index;
        _sources.Add(contentId);
        _sourceIndex[contentId] = _sources.Count - 1;
        return _sources.Count - 1;
    }

    /// <param name="Source">Index into the document's <c>sources</c>: a content id is 71 characters, an index one or two.</param>
    /// <param name="OccurredAt">Unix seconds; null for a line recorded before the document kept the time.</param>
    private readonly record struct RecordedLine(string Line, string? Category, int Source, long SourceLine, long? OccurredAt);

    private const string FoldedBeforeProperty = "linesFoldedBefore";
}
