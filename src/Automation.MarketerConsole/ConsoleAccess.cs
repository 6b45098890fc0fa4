using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Automation.MarketerConsole;

/// <summary>
/// Who may open the console: whoever signed in with the access key. Signing in sets a cookie holding a
/// value derived from the key (never the key), HttpOnly and SameSite=Strict, so another site can neither
/// read it nor make the browser send it with a form; changing the key signs everyone out.
/// </summary>
public sealed class ConsoleAccess(string accessKey) : IConsoleGate
{
    public const string CookieName = "automation_console";

    /// <summary>The header a program may send the key in instead of signing in (the report's JSON for scripts).</summary>
    public const string KeyHeader = "X-Automation-Key";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(accessKey);
    private readonly string _session = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), "automation-console-session-v1"u8))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool IsKey(string? given) => given is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key);

    public bool ServesSignIn => true;

    public string SignInUrl(string root, string then) => $"{root}/sign-in?then={Uri.EscapeDataString(then)}";

    public string SignOutUrl(string root) => $"{root}/sign-out";

    public bool Admits(HttpRequest request) =>
        IsKey(request.Headers[KeyHeader].ToString())
        || request.Cookies[CookieName] is { Length: > 0 } cookie && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(_session));

    public void SignIn(HttpContext context, string path) =>
        context.Response.Cookies.Append(CookieName, _session, Options(context, path));

    public static void SignOut(HttpContext context, string path) => context.Response.Cookies.Delete(CookieName, Options(context, path));

    private static CookieOptions Options(HttpContext context, string path) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = path,
        IsEssential = true,
    };
}
