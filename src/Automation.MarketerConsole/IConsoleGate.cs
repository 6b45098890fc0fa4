using Microsoft.AspNetCore.Http;

namespace Automation.MarketerConsole;

/// <summary>
/// Who may open the console, which differs by host: <c>serve</c> signs people in with its access key
/// (<see cref="ConsoleAccess"/>); in Azure, App Service Authentication signs them in with Microsoft Entra
/// ID before a request reaches the app (<see cref="PlatformSignIn"/>).
/// </summary>
public interface IConsoleGate
{
    bool Admits(HttpRequest request);

    /// <summary>Where a visitor who is not admitted goes to sign in, and comes back to <paramref name="then"/>.</summary>
    string SignInUrl(string root, string then);

    /// <summary>Where the sign-out button posts or links to.</summary>
    string SignOutUrl(string root);

    /// <summary>Whether the console itself serves a sign-in page (otherwise the platform does).</summary>
    bool ServesSignIn { get; }
}

/// <summary>
/// App Service Authentication (Easy Auth) with Microsoft Entra ID, as infra/ configures it: the platform
/// signs the visitor in and passes the principal in <c>X-MS-CLIENT-PRINCIPAL-ID</c>, a header it removes
/// from what clients send. Without it nobody is admitted, so an app deployed without the platform's
/// sign-in serves no customer data.
/// </summary>
public sealed class PlatformSignIn : IConsoleGate
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    public bool Admits(HttpRequest request) => request.Headers[PrincipalHeader].ToString().Length > 0;

    public string SignInUrl(string root, string then) => $"/.auth/login/aad?post_login_redirect_uri={Uri.EscapeDataString(then)}";

    public string SignOutUrl(string root) => "/.auth/logout";

    public bool ServesSignIn => false;
}
