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
        .edit: [.to(.open), .to(.inProgress), .to(.answered), .to(.customerReply), .refused, .refused],
        .merge: Array(repeating: .forbidden, count: 6),
    ]

    /// SPEC §3: "someone on cc may see the ticket and reply to it, nothing else".
    static let cc: [LifecycleAction: [Outcome]] = [
        .reply: [.to(.open), .to(.customerReply), .to(.customerReply), .to(.customerReply), .refused, .refused],
        .internalNote: Array(repeating: .forbidden, count: 6),
        .assign: Array(repeating: .forbidden, count: 6),
        .close: Array(repeating: .forbidden, count: 6),
        .closeStale: [.refused, .refused, .to(.closed), .refused, .noop, .refused],
        .cancel: Array(repeating: .forbidden, count: 6),
        .reopen: Array(repeating: .forbidden, count: 6),
        .rate: Array(repeating: .forbidden, count: 6),
        .edit: Array(repeating: .forbidden, count: 6),
        .merge: Array(repeating: .forbidden, count: 6),
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
        .edit: [.to(.open), .to(.inProgress), .to(.answered), .to(.customerReply), .to(.closed), .to(.canceled)],
        .merge: [.to(.open), .to(.inProgress), .to(.answered), .to(.customerReply), .refused, .refused],
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
        .edit: Array(repeating: .forbidden, count: 6),
        .merge: Array(repeating: .forbidden, count: 6),
    ]

    static let statuses: [Status] = [.open, .inProgress, .answered, .customerReply, .closed, .canceled]

    @Test(arguments: LifecycleAction.allCases, Party.allCases)
    func everyActionFromEveryStatus(action: LifecycleAction, party: Party) {
        let table = [Party.requester: Self.requester, .cc: Self.cc, .agent: Self.agent, .system: Self.system][party]!
        let expected = table[action]!
        for (i, status) in Self.statuses.enumerated() {
            let got = Self.outcome(Lifecycle.decide(action, from: status, party: party))
            #expect(got == expected[i], "\(action) from \(status) as \(party)")
        }
    }

    /// The refusal text and the completion lists read the same table as the verdicts.
    @Test(arguments: Party.allCases)
    func allowedActionsAgreeWithTheVerdicts(party: Party) {
        for status in Self.statuses {
            let allowed = Set(Lifecycle.allowedActions(from: status, party: party, facts: LifecycleFacts()))
            for action in LifecycleAction.allCases where ![.closeStale, .edit, .merge].contains(action) {
                let applies = if case .apply = Lifecycle.decide(action, from: status, party: party) { true } else { false }
                #expect(allowed.contains(action) == applies, "\(action) from \(status) as \(party)")
            }
        }
    }

    @Test(arguments: [LifecycleFacts(hasPublicAgentReply: true), LifecycleFacts(hasAssignee: true)])
    func cancelNeedsNoAgentReplyAndNoAssignee(facts: LifecycleFacts) {
        for party in [Party.requester, .agent] {
            guard case .refused(let why) = Lifecycle.decide(.cancel, from: .open, party: party, facts: facts) else {
                Issue.record("cancel of an answered or taken open ticket must be refused")
                continue
            }
            #expect(why.contains("open"))
        }
    }

    @Test func assigningTheSameAgentAgainIsANoop() {
        #expect(Self.outcome(Lifecycle.decide(.assign, from: .inProgress, party: .agent,
                                              facts: LifecycleFacts(sameAssignee: true))) == .noop)
    }

    @Test func refusalNamesTheStatusAndTheAllowedActions() throws {
        guard case .refused(let why) = Lifecycle.decide(.rate, from: .answered, party: .requester) else {
            Issue.record("rating an answered ticket must be refused")
            return
        }
        #expect(why.contains("answered"))
        #expect(why.contains("reply"))
        #expect(why.contains("close"))
        #expect(!why.contains("reopen"))
    }

    @Test func replyToClosedTicketHintsAtReopen() {
        guard case .refused(let why) = Lifecycle.decide(.reply, from: .closed, party: .requester) else {
            Issue.record("reply to closed must be refused")
            return
        }
        #expect(why.contains("reopen"))
    }
}
