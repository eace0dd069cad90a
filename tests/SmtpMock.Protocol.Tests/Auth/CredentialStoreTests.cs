using SmtpMock.Protocol.Auth;
using static SmtpMock.Protocol.Tests.Auth.Sasl;

namespace SmtpMock.Protocol.Tests.Auth;

public class CredentialStoreTests
{
    private static AuthCredential PlainCredential(string user, string password) =>
        Credential(AuthExchange.Start("PLAIN", B64($"\0{user}\0{password}")).Step);

    [Test]
    public void Accepts_any_by_default_only_when_no_users_are_configured()
    {
        Assert.That(new CredentialStore([]).AcceptsAny, Is.True);
        Assert.That(new CredentialStore([new("a", "b")]).AcceptsAny, Is.False);
        Assert.That(new CredentialStore([new("a", "b")]).Check(PlainCredential("stranger", "x")), Is.False);
    }

    [Test]
    public void With_accept_any_a_configured_user_still_needs_the_right_password()
    {
        var store = new CredentialStore([new("alice", "right")], acceptAny: true);
        Assert.That(store.Check(PlainCredential("stranger", "anything")), Is.True);
        Assert.That(store.Check(PlainCredential("alice", "right")), Is.True);
        Assert.That(store.Check(PlainCredential("alice", "wrong")), Is.False);
    }

    [Test]
    public void User_names_compare_exactly()
    {
        var store = new CredentialStore([new("alice", "pw")]);
        Assert.That(store.Check(PlainCredential("Alice", "pw")), Is.False);
    }

    [Test]
    public void Check_clears_the_secret_and_never_shows_it()
    {
        var credential = PlainCredential("alice", "hunter2");
        Assert.That(credential.ToString(), Does.Not.Contain("hunter2").And.EqualTo("PLAIN user=alice secret=****"));
        Assert.That(new AuthStep.Verify(credential).ToString(), Does.Not.Contain("hunter2"));

        new CredentialStore([new("alice", "hunter2")]).Check(credential);
        Assert.That(credential.IsCleared, Is.True);
        Assert.That(() => CredentialStore.AcceptingAny.Check(credential), Throws.InvalidOperationException);
    }

    [Test]
    public void A_user_given_twice_is_refused()
    {
        Assert.That(() => new CredentialStore([new("a", "1"), new("a", "2")]), Throws.ArgumentException.With.Message.Contains("'a'"));
    }
}
