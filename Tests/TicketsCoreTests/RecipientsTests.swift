import Testing
@testable import TicketsCore

/// SPEC §9 "who hears", written out independently of the table in the code: every
/// action by every kind of actor, on a ticket with a requester, a cc, an assignee, and
/// two agents in `notify_agents` (one of them the acting agent).
struct RecipientsTests {
    static let requester = "alice@example.com"
    static let cc = "carol@example.com"
    static let assignee = "dan@support.example"
    static let team = "team@support.example"
    static let agent = "bob@support.example"
    static let notifyAgents = [team, agent]

    enum Who: String, CaseIterable { case requester, cc, agent, assignee }
    static func actor(_ who: Who) -> (String, Role) {
        switch who {
        case .requester: (requester, .requester)
        case .cc: (cc, .requester)
        case .agent: (agent, .agent)
        case .assignee: (assignee, .agent)
        }
    }

    // Columns: acted by the requester, a cc, an agent, the assignee.
    static let expected: [EventAction: [[String]]] = [
        // The requester keeps the confirmation of their own open.
        .open: [[requester, cc, team, agent], [requester, team, agent], [requester, cc, team], [requester, cc, team, agent]],
        // A requester (or cc) reply goes to the assignee; an agent's public reply to the requester and cc.
        .reply: [[assignee], [assignee], [requester, cc], [requester, cc]],
        .note: [[], [], [], []],
        .close: [[cc], [requester], [requester, cc], [requester, cc]],
        .autoClose: [[cc], [requester], [requester, cc], [requester, cc]],
        .cancel: [[cc], [requester], [requester, cc], [requester, cc]],
        .reopen: [[cc], [requester], [requester, cc], [requester, cc]],
        .assign: [[], [], [], []],
        .edit: [[], [], [], []],
        .merge: [[], [], [], []],
        .rate: [[], [], [], []],
    ]

    static func of(_ action: EventAction, by who: Who, assignee: String? = assignee, isInternal: Bool = false,
                   notifyAgents: [String] = notifyAgents) -> [String] {
        let (email, role) = actor(who)
        return Recipients.of(action, requester: requester, cc: [cc], assignee: assignee, actor: email, role: role,
                             notifyAgents: notifyAgents, isInternal: isInternal)
    }

    @Test(arguments: EventAction.allCases)
    func everyActionByEveryActor(action: EventAction) {
        for (i, who) in Who.allCases.enumerated() {
            #expect(Self.of(action, by: who) == Self.expected[action]![i], "\(action) by the \(who)")
        }
    }

    @Test func everyActionHasARow() {
        for action in EventAction.allCases {
            #expect(Recipients.rules.contains { $0.action == action }, "\(action)")
        }
    }

    @Test func aRequesterReplyWithoutAssigneeGoesToNotifyAgents() {
        #expect(Self.of(.reply, by: .requester, assignee: nil) == [Self.team, Self.agent])
        #expect(Self.of(.reply, by: .cc, assignee: nil) == [Self.team, Self.agent])
        #expect(Self.of(.reply, by: .requester, assignee: nil, notifyAgents: []) == [])
    }

    @Test func autoCloseByTheSystemTellsRequesterAndCC() {
        #expect(Recipients.of(.autoClose, requester: Self.requester, cc: [Self.cc], assignee: Self.assignee, actor: "system",
                              role: .system, notifyAgents: Self.notifyAgents, isInternal: false) == [Self.requester, Self.cc])
    }

    /// Internal notes reach no requester or cc, whichever list names them: here the
    /// requester is also in notify_agents and the cc is the assignee.
    @Test(arguments: EventAction.allCases)
    func internalReachesNoRequesterOrCC(action: EventAction) {
        for role in [Role.agent, .requester] {
            let got = Recipients.of(action, requester: Self.requester, cc: [Self.cc], assignee: "CAROL@example.com",
                                    actor: "zed@support.example", role: role,
                                    notifyAgents: ["Alice@Example.com", Self.team], isInternal: true)
            #expect(!got.contains { $0.lowercased() == Self.requester || $0.lowercased() == Self.cc }, "\(action): \(got)")
            #expect(got.allSatisfy { $0 == Self.team })
        }
        #expect(Self.of(.reply, by: .agent, isInternal: true) == [])
        #expect(Self.of(.reply, by: .assignee, isInternal: true) == [])
    }

    @Test func oneCopyPerPersonUnderTheIdentityRule() {
        let got = Recipients.of(.open, requester: "Alice@Example.com", cc: ["alice@example.com", "CAROL@example.com", "carol@example.com"],
                                assignee: nil, actor: "alice@example.com", role: .requester,
                                notifyAgents: ["carol@EXAMPLE.com", "team@x.example"], isInternal: false)
        #expect(got == ["Alice@Example.com", "CAROL@example.com", "team@x.example"])
    }

    @Test func theIdentityRuleIsAParameter() {
        // A rule that ignores +tags, standing in for SPEC §4's normalisation.
        let identity = { (s: String) -> String in
            let parts = s.lowercased().split(separator: "@")
            return String(parts[0].split(separator: "+").first ?? "") + "@" + (parts.last ?? "")
        }
        let got = Recipients.of(.close, requester: "alice@example.com", cc: ["alice+work@example.com", Self.cc],
                                assignee: nil, actor: "carol+x@example.com", role: .requester,
                                notifyAgents: [], isInternal: false, identity: identity)
        #expect(got == ["alice@example.com"])
    }

    @Test func emptyAddressesAreNobody() {
        #expect(Recipients.of(.reply, requester: "", cc: [""], assignee: "", actor: Self.agent, role: .agent,
                              notifyAgents: [""], isInternal: false) == [])
    }
}
