using System.Text.Json;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// The bindings the Functions host will read from the build (functions.metadata and host.json): a
/// change to a trigger, a queue name, a schedule setting or an output fails here, not in Azure.
/// </summary>
public sealed class BindingTests
{
    private static readonly IReadOnlyDictionary<string, FunctionDefinition> Functions = FunctionsMetadata.Functions;

    [Fact]
    public void The_app_has_exactly_its_eleven_functions()
    {
        Functions.Keys.Should().BeEquivalentTo(
            "IngestExport", "PlanDay", "PlanShard", "DeliverMessages", "DeliverDue", "SendGridEvents", "PreferenceLink", "ReportOutcomes", "ConsolePages", "RefitChurnModel", "RefreshPollen");
    }

    [Fact]
    public void IngestExport_is_an_Event_Grid_blob_trigger_on_the_exports_container_bound_once()
    {
        var function = Functions["IngestExport"];

        function.Bindings.Should().ContainSingle("the export is bound once, as a client that streams it");
        function.Trigger.Type.Should().Be("blobTrigger");
        function.Trigger.Text("path").Should().Be("%ExportsContainer%/{name}");
        function.Trigger.Text("source").Should().Be("EventGrid");
        function.Trigger.Text("connection").Should().Be("AzureWebJobsStorage");
    }

    [Theory]
    [InlineData("PlanDay", "PlanDaySchedule")]
    [InlineData("DeliverDue", "DeliverDueSchedule")]
    [InlineData("RefitChurnModel", "RefitChurnModelSchedule")]
    [InlineData("RefreshPollen", "RefreshPollenSchedule")]
    public void Timers_take_their_schedule_from_an_app_setting_the_sample_and_the_infrastructure_set(string name, string setting)
    {
        var trigger = Functions[name].Trigger;

        trigger.Type.Should().Be("timerTrigger");
        trigger.Text("schedule").Should().Be($"%{setting}%");
        FunctionsAppSettings.Sample().Should().ContainKey(setting);
        File.ReadAllText(FunctionsMetadata.RepositoryFile("infra", "resources.bicep")).Should().MatchRegex($@"\b{setting}: '[^']+'");
        trigger.Json.TryGetProperty("runOnStartup", out var runOnStartup).Should().BeFalse(runOnStartup.ToString());
    }

    [Fact]
    public void Planning_fans_out_through_the_plan_shards_queue_into_delivery_batches()
    {
        var planDay = Functions["PlanDay"];
        planDay.Outputs("queue").Select(o => (o.Name, o.Text("queueName"))).Should().BeEquivalentTo(new[] { ("Shards", "plan-shards"), ("Sweep", "deliveries") });

        var planShard = Functions["PlanShard"];
        planShard.Trigger.Type.Should().Be("queueTrigger");
        planShard.Trigger.Text("queueName").Should().Be(QueueNames.PlanShards);
        planShard.Outputs("queue").Should().ContainSingle(o => o.Name == "$return" && o.Text("queueName") == QueueNames.Deliveries);

        var deliver = Functions["DeliverMessages"];
        deliver.Trigger.Type.Should().Be("queueTrigger");
        deliver.Trigger.Text("queueName").Should().Be(QueueNames.Deliveries);
        deliver.Bindings.Should().ContainSingle();
    }

    [Fact]
    public void SendGridEvents_is_an_anonymous_POST_at_api_sendgrid_events()
    {
        var trigger = Functions["SendGridEvents"].Trigger;

        trigger.Type.Should().Be("httpTrigger");
        trigger.Text("route").Should().Be("sendgrid/events");
        trigger.Text("authLevel").Should().Be("Anonymous", "SendGrid cannot send a function key; the signature is the authentication");
        trigger.Json.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("post");
    }

    [Fact]
    public void ReportOutcomes_is_a_GET_at_api_report_behind_a_function_key()
    {
        var trigger = Functions["ReportOutcomes"].Trigger;

        trigger.Type.Should().Be("httpTrigger");
        trigger.Text("route").Should().Be("report");
        trigger.Text("authLevel").Should().Be("Function", "the report is the marketers', not the public's");
        trigger.Json.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("get");
    }

    [Fact]
    public void ConsolePages_answer_GET_and_POST_under_api_console_and_leave_sign_in_to_the_platform()
    {
        var trigger = Functions["ConsolePages"].Trigger;

        trigger.Type.Should().Be("httpTrigger");
        trigger.Text("route").Should().Be("console/{*page}");
        trigger.Text("authLevel").Should().Be("Anonymous", "App Service Authentication signs marketers in with Entra ID; a function key would have to travel in the URL");
        trigger.Json.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().Equal("get", "post");
    }

    [Fact]
    public void PreferenceLink_is_an_anonymous_GET_and_POST_at_api_preferences_token()
    {
        var trigger = Functions["PreferenceLink"].Trigger;

        trigger.Type.Should().Be("httpTrigger");
        trigger.Text("route").Should().Be("preferences/{token}");
        trigger.Text("authLevel").Should().Be("Anonymous", "a mail client cannot send a function key; the signed token is the authority");
        trigger.Json.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).Should().BeEquivalentTo("get", "head", "post");
    }

    [Fact]
    public void Host_json_encodes_queue_messages_in_base64_moves_poison_after_five_tries_and_logs_information()
    {
        var host = FunctionsMetadata.HostJson();
        var queues = host.GetProperty("extensions").GetProperty("queues");

        host.GetProperty("version").GetString().Should().Be("2.0");
        queues.GetProperty("messageEncoding").GetString().Should().Be("base64");
        queues.GetProperty("maxDequeueCount").GetInt32().Should().Be(5);
        host.GetProperty("logging").GetProperty("logLevel").GetProperty("default").GetString().Should().Be("Information");
        TimeSpan.Parse(host.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThan(TimeSpan.FromMinutes(30), "a large export is ingested in one invocation");
    }

    [Fact]
    public void Every_queue_the_bindings_name_is_created_by_the_infrastructure_with_its_poison_queue()
    {
        var bicep = File.ReadAllText(FunctionsMetadata.RepositoryFile("infra", "resources.bicep"));
        var queues = Functions.Values.SelectMany(f => f.Bindings).Select(b => b.Text("queueName")).OfType<string>().Distinct().ToList();
        var created = System.Text.RegularExpressions.Regex.Match(bicep, @"var workQueues = \[([^\]]*)\]").Groups[1].Value
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(q => q.Trim('\''));

        queues.Should().BeEquivalentTo(QueueNames.PlanShards, QueueNames.Deliveries);
        created.Should().BeEquivalentTo(queues);
        bicep.Should().Contain("name: '${queue}-poison'", "each work queue has its poison queue");
    }

    [Fact]
    public void The_apps_identity_gets_what_an_identity_based_AzureWebJobsStorage_with_a_blob_trigger_needs()
    {
        var bicep = File.ReadAllText(FunctionsMetadata.RepositoryFile("infra", "resources.bicep"));
        var storageRoles = System.Text.RegularExpressions.Regex.Match(bicep, @"var storageRoleIds = \[([^\]]*)\]").Groups[1].Value;

        storageRoles.Should().Contain("roles.storageAccountContributor").And.Contain("roles.storageBlobDataOwner")
            .And.Contain("roles.storageQueueDataContributor").And.Contain("roles.storageTableDataContributor");
        bicep.Should().Contain("storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab'")
            .And.Contain("storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            bicep.Should().Contain($"AzureWebJobsStorage__{service}ServiceUri: storage.properties.primaryEndpoints.{service}");
        }
    }
}
