using Automation.Personalization.Links;
using Automation.Rights.Preferences;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Preferences;

/// <summary>
/// The link in every mail: its preference page (GET) and its one-click unsubscribe (POST, RFC 8058).
/// Anonymous, because the signed token in the address is the authority; a forged one gets 404.
/// </summary>
public sealed class PreferenceLink(PreferenceCenter center)
{
    [Function(nameof(PreferenceLink))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = PreferenceLinks.Route + "/{token}")] HttpRequest request, string token)
    {
        await PreferenceHttp.HandleAsync(center, request.HttpContext, token);
        return new EmptyResult();
    }
}
