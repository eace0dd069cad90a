using SmtpMock.Server.Capture;

namespace SmtpMock.Server.Aftermath;

/// <summary>Turns a plan into what the builders make: one DSN, one report, or one auto-reply per answering recipient.</summary>
internal sealed class AftermathBuilders(AftermathHost host)
{
    private readonly BounceBuilder _bounces = new(host);
    private readonly AutoReplyBuilder _autoReplies = new(host);
    private readonly ComplaintBuilder _complaints = new(host);

    public IReadOnlyList<AftermathResult> Build(CapturedMessage original, AftermathPlan plan)
    {
        var recipients = plan.Recipients ?? [.. original.Recipients.Select(r => r.Address)];
        return plan.Kind switch
        {
            AftermathKind.Bounce => [_bounces.Build(original, BounceRequest.For(recipients, RecipientFailure.ReplyFor(plan.BounceCode)))],
            AftermathKind.AutoReply => [.. recipients.Select(r => _autoReplies.Build(original, AutoReplyRequest.OutOfOffice(r)))],
            AftermathKind.Complaint => [_complaints.Build(original, new ComplaintRequest { Type = plan.Feedback, Complainants = recipients })],
            _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, null),
        };
    }
}
