import Testing
@testable import TicketsCore

/// SPEC §3, written out independently of the code: every action from every status, as
/// requester, agent and system. `nil` facts means the default (no agent reply, no assignee).
struct LifecycleTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case to(Status), noop, forbidden, refused
        var description: String {
            switch self {
            case .to(let s): "→\(s.rawValue)"
            case .noop: "noop"
            case .forbidden: "77"
            case .refused: "65"
            }
        }
    }

    static func outcome(_ d: LifecycleDecision) -> Outcome {
        switch d {
        case .apply(let s): .to(s)
        case .noop: .noop
        case .forbidden: .forbidden
        case .refused: .refused
        }
    }

    // Columns: open, in-progress, answered, customer-reply, closed, canceled.
    static let requester: [LifecycleAction: [Outcome]] = [
        .reply: [.to(.open), .to(.customerReply), .to(.customerReply), .to(.customerReply), .refused, .refused],
        .internalNote: Array(repeating: .forbidden, count: 6),
        .assign: Array(repeating: .forbidden, count: 6),
        .close: [.to(.closed), .to(.closed), .to(.closed), .to(.closed), .noop, .refused],
        .closeStale: [.refused, .refused, .to(.closed), .refused, .noop, .refused],
        .cancel: [.to(.canceled), .refused, .refused, .refused, .refused, .noop],
        .reopen: [.noop, .refused, .refused, .refused, .to(.open), .to(.open)],
        .rate: [.refused, .refused, .refused, .refused, .to(.closed), .refused],
    ]

    static let agent: [LifecycleAction: [Outcome]] = [
        .reply: [.to(.answered), .to(.answered), .to(.answered), .to(.answered), .refused, .refused],
        .internalNote: [.to(.open), .to(.inProgress), .to(.answered), .to(.customerReply), .refused, .refused],
        .assign: [.to(.inProgress), .to(.inProgress), .refused, .to(.inProgress), .refused, .refused],
        .close: [.to(.closed), .to(.closed), .to(.closed), .to(.closed), .noop, .refused],
        .closeStale: [.refused, .refused, .to(.closed), .refused, .noop, .refused],
        .cancel: [.to(.canceled), .refused, .refused, .refused, .refused, .noop],
        .reopen: [.noop, .refused, .refused, .refused, .to(.open), .to(.open)],
        .rate: Array(repeating: .forbidden, count: 6),
    ]

    static let system: [LifecycleAction: [Outcome]] = [
        .reply: Array(repeating: .forbidden, count: 6),
        .internalNote: Array(repeating: .forbidden, count: 6),
        .assign: Array(repeating: .forbidden, count: 6),
        .close: Array(repeating: .forbidden, count: 6),
        .closeStale: [.refused, .refused, .to(.closed), .refused, .noop, .refused],
        .cancel: Array(repeating: .forbidden, count: 6),
        .reopen: Array(repeating: .forbidden, count: 6),
        .rate: Array(repeating: .forbidden, count: 6),
    ]

    static let statuses: [Status] = [.open, .inProgress, .answered, .customerReply, .closed, .canceled]

    @Test(arguments: LifecycleAction.allCases, [Role.requester, .agent, .system])
    func everyActionFromEveryStatus(action: LifecycleAction, role: Role) {
        let table = role == .requester ? Self.requester : role == .agent ? Self.agent : Self.system
        let expected = table[action]!
        for (i, status) in Self.statuses.enumerated() {
            let got = Self.outcome(Lifecycle.decide(action, from: status, role: role))
            #expect(got == expected[i], "\(action) from \(status) as \(role)")
        }
    }

    @Test(arguments: [LifecycleFacts(hasPublicAgentReply: true), LifecycleFacts(hasAssignee: true)])
    func cancelNeedsNoAgentReplyAndNoAssignee(facts: LifecycleFacts) {
        for role in [Role.requester, .agent] {
            guard case .refused(let why) = Lifecycle.decide(.cancel, from: .open, role: role, facts: facts) else {
                Issue.record("cancel of an answered or taken open ticket must be refused")
                continue
            }
            #expect(why.contains("open"))
        }
    }

    @Test func assigningTheSameAgentAgainIsANoop() {
        #expect(Self.outcome(Lifecycle.decide(.assign, from: .inProgress, role: .agent,
                                              facts: LifecycleFacts(sameAssignee: true))) == .noop)
    }

    @Test func refusalNamesTheStatusAndTheAllowedActions() throws {
        guard case .refused(let why) = Lifecycle.decide(.rate, from: .answered, role: .requester) else {
            Issue.record("rating an answered ticket must be refused")
            return
        }
        #expect(why.contains("answered"))
        #expect(why.contains("reply"))
        #expect(why.contains("close"))
        #expect(!why.contains("reopen"))
    }

    @Test func replyToClosedTicketHintsAtReopen() {
        guard case .refused(let why) = Lifecycle.decide(.reply, from: .closed, role: .requester) else {
            Issue.record("reply to closed must be refused")
            return
        }
        #expect(why.contains("reopen"))
    }
}
