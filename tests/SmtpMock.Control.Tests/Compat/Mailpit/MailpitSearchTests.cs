using System.Net;
using MimeKit;

namespace SmtpMock.Control.Tests.Compat.Mailpit;

/// <summary>GET and DELETE /api/v1/search with each operator of Mailpit's query syntax.</summary>
public sealed class MailpitSearchTests : MailpitFixture
{
    [SetUp]
    public async Task SendThreeAsync()
    {
        var first = Message("Invoice 17 ready", to: "Ann Buyer <ann@shop.test>", from: "billing@shop.test");
        first.Cc.Add(MailboxAddress.Parse("audit@shop.test"));
        first.MessageId = "first-17@shop.test";
        first.Headers.Add("X-Tags", "invoices");
        var second = WithAttachments("Report with files");
        var third = Message("Weekly news", to: "zed@news.test", from: "news@news.test");
        third.Body = new TextPart("plain") { Text = "Some words\r\nacross lines" };
        await SendAsync(first, second, third);
    }

    [TestCase("invoice", "Invoice 17 ready")]
    [TestCase("\"words across\"", "Weekly news")]
    [TestCase("from:billing@shop.test", "Invoice 17 ready")]
    [TestCase("FROM:BILLING", "Invoice 17 ready")]
    [TestCase("to:ann", "Invoice 17 ready")]
    [TestCase("to:\"Ann Buyer\"", "Invoice 17 ready")]
    [TestCase("cc:audit@", "Invoice 17 ready")]
    [TestCase("subject:\"17 ready\"", "Invoice 17 ready")]
    [TestCase("message-id:first-17", "Invoice 17 ready")]
    [TestCase("tag:invoices", "Invoice 17 ready")]
    [TestCase("tag:SIGNUP", "Report with files")]
    [TestCase("has:attachment", "Report with files")]
    [TestCase("report.pdf", "Report with files")]
    [TestCase("addressed:zed@news.test", "Weekly news")]
    [TestCase("is:unread from:news", "Weekly news")]
    public async Task Each_operator_finds_its_message(string query, string subject)
    {
        var found = await MailpitJsonAsync($"api/v1/search?query={Uri.EscapeDataString(query)}");
        Assert.That(found.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("Subject").GetString()), Is.EqualTo(new[] { subject }));
        Assert.That(found.GetProperty("messages_count").GetInt32(), Is.EqualTo(1));
        Assert.That(found.GetProperty("total").GetInt32(), Is.EqualTo(3), "total is the mailbox's");
    }

    [Test]
    public async Task Negation_read_status_and_dates()
    {
        Assert.That((await MailpitJsonAsync("api/v1/search?query=" + Uri.EscapeDataString("!from:billing"))).GetProperty("messages_count").GetInt32(), Is.EqualTo(2));
        Assert.That((await MailpitJsonAsync("api/v1/search?query=" + Uri.EscapeDataString("-tag:invoices"))).GetProperty("messages_count").GetInt32(), Is.EqualTo(2));
        Assert.That((await MailpitJsonAsync("api/v1/search?query=is:read")).GetProperty("messages_count").GetInt32(), Is.EqualTo(0));
        var today = DateTime.UtcNow.Date;
        Assert.That((await MailpitJsonAsync($"api/v1/search?query=after:{today.AddDays(-1):yyyy-MM-dd}")).GetProperty("messages_count").GetInt32(), Is.EqualTo(3));
        Assert.That((await MailpitJsonAsync($"api/v1/search?query=before:{today.AddDays(-1):yyyy-MM-dd}")).GetProperty("messages_count").GetInt32(), Is.EqualTo(0));
        Assert.That((await MailpitJsonAsync($"api/v1/search?query=before:{today.AddDays(2):yyyy-MM-dd}")).GetProperty("messages_count").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task An_empty_query_is_400_and_delete_by_search_deletes_only_the_matches()
    {
        Assert.That(await SendBodyAsync(HttpMethod.Get, "api/v1/search?query=%20", null), Is.EqualTo((HttpStatusCode.BadRequest, "Error: no search query")));
        Assert.That(await SendBodyAsync(HttpMethod.Delete, "api/v1/search?query=" + Uri.EscapeDataString("from:news.test"), null), Is.EqualTo((HttpStatusCode.OK, "ok")));
        var left = await MailpitJsonAsync("api/v1/messages");
        Assert.That(left.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("Subject").GetString()), Is.EqualTo(new[] { "Report with files", "Invoice 17 ready" }));
    }
}
