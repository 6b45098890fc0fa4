namespace Automation.Rights.Preferences;

/// <summary>The preference page's words in the sample locales; a customer in another locale gets the default locale's, else English.</summary>
internal sealed record PageText(
    string Language,
    string Title,
    string Subscribed,
    string Unsubscribed,
    string UnsubscribeButton,
    string ResubscribeButton,
    string TopicsHeading,
    string HealthHeading,
    string HealthConsent,
    string Save,
    string Saved,
    string UnsubscribedDone,
    string ResubscribedDone,
    string NothingHeld,
    IReadOnlyDictionary<string, string> Topics)
{
    private static readonly PageText English = new(
        "en", "Your email preferences",
        "You receive our marketing email.", "You are unsubscribed from our marketing email.",
        "Unsubscribe from all marketing email", "Subscribe again",
        "What we write to you about", "Health-related",
        "Use what I buy of health-related products to tailor messages (for example, pollen alerts for allergy products).",
        "Save preferences", "Your preferences are saved.",
        "You are unsubscribed. You will get no more marketing email from us.", "You are subscribed again.",
        "We hold no data for this link.",
        new Dictionary<string, string>
        {
            ["birthday"] = "Birthday greetings",
            ["churn_risk"] = "We miss you: offers when you have not shopped for a while",
            ["pollen"] = "Pollen alerts",
        });

    private static readonly Dictionary<string, PageText> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = English,
        ["it"] = new(
            "it", "Le tue preferenze email",
            "Ricevi le nostre email promozionali.", "Non ricevi più le nostre email promozionali.",
            "Annulla l'iscrizione a tutte le email promozionali", "Iscriviti di nuovo",
            "Di cosa ti scriviamo", "Salute",
            "Usa i miei acquisti di prodotti legati alla salute per personalizzare i messaggi (per esempio avvisi sul polline per prodotti antiallergici).",
            "Salva le preferenze", "Le tue preferenze sono state salvate.",
            "Iscrizione annullata. Non riceverai più email promozionali da noi.", "Sei di nuovo iscritto.",
            "Non conserviamo dati per questo link.",
            new Dictionary<string, string>
            {
                ["birthday"] = "Auguri di compleanno",
                ["churn_risk"] = "Ci manchi: offerte se non acquisti da un po'",
                ["pollen"] = "Avvisi polline",
            }),
        ["ru"] = new(
            "ru", "Настройки рассылки",
            "Вы получаете наши рекламные письма.", "Вы отписаны от наших рекламных писем.",
            "Отписаться от всех рекламных писем", "Подписаться снова",
            "О чём мы вам пишем", "Здоровье",
            "Использовать мои покупки товаров для здоровья, чтобы подбирать сообщения (например, предупреждения о пыльце для товаров от аллергии).",
            "Сохранить настройки", "Ваши настройки сохранены.",
            "Вы отписаны. Больше рекламных писем от нас не будет.", "Вы снова подписаны.",
            "По этой ссылке у нас нет данных.",
            new Dictionary<string, string>
            {
                ["birthday"] = "Поздравления с днём рождения",
                ["churn_risk"] = "Мы скучаем: предложения, если вы давно у нас не были",
                ["pollen"] = "Предупреждения о пыльце",
            }),
        ["zh"] = new(
            "zh", "您的邮件偏好",
            "您正在接收我们的营销邮件。", "您已退订我们的营销邮件。",
            "退订所有营销邮件", "重新订阅",
            "我们给您发送的内容", "健康相关",
            "允许根据我购买的健康相关产品定制信息（例如为过敏用品发送花粉提醒）。",
            "保存偏好", "您的偏好已保存。",
            "您已退订。我们不会再向您发送营销邮件。", "您已重新订阅。",
            "此链接没有对应的数据。",
            new Dictionary<string, string>
            {
                ["birthday"] = "生日祝福",
                ["churn_risk"] = "我们想念您：久未购物时的优惠",
                ["pollen"] = "花粉提醒",
            }),
    };

    /// <summary>The words for <paramref name="locale"/> (a tag such as it-IT), by its language.</summary>
    public static PageText For(string? locale, string defaultLocale) =>
        OfLanguage(locale) ?? OfLanguage(defaultLocale) ?? English;

    public string TopicLabel(string trigger) => Topics.GetValueOrDefault(trigger, trigger);

    private static PageText? OfLanguage(string? locale) =>
        locale is { Length: > 0 } tag && ByLanguage.TryGetValue(tag.Split('-', '_')[0], out var text) ? text : null;
}
