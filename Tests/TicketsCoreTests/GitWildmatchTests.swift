import Testing
@testable import TicketsCore

/// The glob of conditional includes (git's wildmatch): with `pathname`, `*` and `?` stop
/// at '/', `**` between slashes crosses folders (none included); without it `*` is `**`.
struct GitWildmatchTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let pattern: String
        let text: String
        let pathname: Bool
        let caseFold: Bool
        let matches: Bool
        var testDescription: String { "\(pattern) ~ \(text) pathname=\(pathname) fold=\(caseFold): \(matches)" }
    }

    static func v(_ pattern: String, _ text: String, _ matches: Bool, pathname: Bool = true, fold: Bool = false) -> Vector {
        Vector(pattern: pattern, text: text, pathname: pathname, caseFold: fold, matches: matches)
    }

    static let vectors: [Vector] = [
        v("abc", "abc", true), v("abc", "abd", false), v("abc", "ab", false), v("ab", "abc", false),
        v("a?c", "abc", true), v("a?c", "a/c", false), v("a?c", "a/c", true, pathname: false),
        v("a*", "abc", true), v("a*", "a/b", false), v("a*", "a/b", true, pathname: false),
        v("*/b", "a/b", true), v("*/b", "a/x/b", false),
        v("a/**", "a/b/c", true), v("a/**", "a", false), v("a/**", "a/", true),
        v("**/c", "a/b/c", true), v("**/c", "c", true),
        v("a/**/c", "a/c", true), v("a/**/c", "a/b/c", true), v("a/**/c", "a/b/x/c", true), v("a/**/c", "ab/c", false),
        v("a**c", "a/b/c", false), v("a**c", "abxc", true),
        v("[a-c]x", "bx", true), v("[a-c]x", "dx", false), v("[!a-c]x", "dx", true), v("[^a]x", "ax", false),
        v("[]]", "]", true), v("[[:digit:]]*", "7up", true), v("[[:alpha:]]", "7", false),
        v("[[:nope:]]", "a", false), v("[a/]", "/", false), v("[a/]", "/", true, pathname: false),
        v("\\*", "*", true), v("\\*", "x", false),
        v("ABC", "abc", false), v("ABC", "abc", true, fold: true), v("abc", "ABC", true, fold: true),
        v("[A-C]", "b", true, fold: true), v("[[:upper:]]", "q", true, fold: true),
        v("/home/*/", "/home/me/", true), v("/home/*/", "/home/me/x/", false),
        v("https://example.com/**", "https://example.com/a/b.git", true),
        v("https://example.com/*", "https://example.com/a/b.git", false),
    ]

    @Test(arguments: vectors)
    func vector(_ t: Vector) {
        #expect(GitWildmatch.matches(Array(t.pattern.utf8), Array(t.text.utf8), pathname: t.pathname, caseFold: t.caseFold) == t.matches)
    }
}
