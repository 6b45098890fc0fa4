using Automation.Planning.Days;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

/// <summary>A day's plan as counts: records add up, keep the first sends per trigger, and read back as they were written.</summary>
public sealed class PlanRecordTests
{
    private static readonly Instant Morning = Instant.FromUtc(2026, 11, 23, 7, 0);

    private static PlanSample Sample(int minute, string trigger = "birthday") =>
        new($"m{trigger}{minute:x4}", trigger, "it-IT", Morning + Duration.FromMinutes(minute));

    [Fact]
    public void Records_add_up_and_keep_the_earliest_sends_of_each_trigger_whatever_order_they_come_in()
    {
        var late = PlanRecord.From([new PlanCount("birthday", "it-IT", "planned", null, 20)], Enumerable.Range(10, 12).Select(m => Sample(m)));
        var early = PlanRecord.From(
            [new PlanCount("birthday", "it-IT", "planned", null, 5), new PlanCount("birthday", "unknown", "suppressed", "cooldown", 2)],
            [.. Enumerable.Range(0, 3).Select(m => Sample(m)), Sample(1, "pollen")]);

        var total = new PlanRecord();
        total.Add(late);
        total.Add(early);
        var reversed = new PlanRecord();
        reversed.Add(early);
        reversed.Add(late);

        total.Counts.Should().Equal(new PlanCount("birthday", "it-IT", "planned", null, 25), new PlanCount("birthday", "unknown", "suppressed", "cooldown", 2));
        total.Samples.Where(s => s.Trigger == "birthday").Select(s => s.SendAt).Order().Should().Equal(
            Enumerable.Range(0, 3).Concat(Enumerable.Range(10, 7)).Select(m => Morning + Duration.FromMinutes(m)), "the ten earliest, from both");
        total.Samples.Should().ContainSingle(s => s.Trigger == "pollen");
        reversed.Samples.Should().BeEquivalentTo(total.Samples);
        total.Where("birthday", null, "cooldown").Should().ContainSingle().Which.Count.Should().Be(2);
        total.Where(null, "it-IT", null).Sum(c => c.Count).Should().Be(25);
    }

    [Fact]
    public void A_record_reads_back_from_its_json_as_it_was()
    {
        var record = PlanRecord.From(
            [new PlanCount("pollen", "zh-CN", "held_out", null, 3), new PlanCount("pollen", "zh-CN", "suppressed", "topic_off", 1)],
            [Sample(5, "pollen")],
            [new PlanGap("pollen", "first_name", 2)]);

        var read = PlanRecordJson.Deserialize(PlanRecordJson.Serialize(record));

        read.Counts.Should().Equal(record.Counts);
        read.Samples.Should().Equal(record.Samples);
        read.Gaps.Should().Equal(record.Gaps);
        PlanRecordJson.Deserialize("""{"counts":[],"samples":[]}""").Gaps.Should().BeEmpty("a record written before gaps were counted has none");
    }

    [Fact]
    public void Gaps_count_the_customers_mailed_without_a_field_and_add_up_over_passes()
    {
        var record = PlanRecord.From(
            [new PlanCount("birthday", "it-IT", "planned", null, 6), new PlanCount("birthday", "en", "held_out", null, 2), new PlanCount("birthday", "en", "suppressed", "cooldown", 9)],
            [], [new PlanGap("birthday", "first_name", 3), new PlanGap("birthday", "city", 1)]);
        record.Add(PlanRecord.From([], [], [new PlanGap("birthday", "first_name", 2)]));

        record.Mailed("birthday").Should().Be(8, "planned and held out, not suppressed");
        record.Lacking("birthday", "first_name").Should().Be(5);
        record.Lacking("birthday", "last_name").Should().Be(0);
        record.Mailed("pollen").Should().Be(0);
    }
}
