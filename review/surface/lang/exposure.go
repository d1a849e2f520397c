package lang

import (
	"regexp"

	"github.com/vouch-review/vouch/review/surface"
)

// Exposure that no import resolves: the switch that turns a browser's or an
// agent's sandbox off, the condition that decides when it is off, and a
// tunnel that publishes a local port on a public URL. They are string
// literals and assignments in any language, so every language shares them
// (outside test files, where --no-sandbox in a CI browser is routine).

// sandboxOff and publicTunnel are the command-line detector's patterns
// (surface.SandboxOff, surface.PublicTunnel) with the switch named.
const (
	sandboxOff   = `(?P<name>` + surface.SandboxOff + `)`
	publicTunnel = `(?P<name>` + surface.PublicTunnel + `)`
)

var sandboxOffRE = regexp.MustCompile(surface.SandboxOff)

func exposureRules(lang string) []rule {
	return notInTests([]rule{
		{id: lang + "/sandbox-off", cat: "auth", sev: "high", token: "sandbox", text: true, inStrings: true, wholeLine: true,
			re:  re(sandboxOff),
			msg: "turns a sandbox off ({name}): what runs there can reach the rest of the machine"},
		{id: lang + "/sandbox-condition", cat: "auth", sev: "high", token: "sandbox", text: true, check: decidesSandbox, wholeLine: true,
			re:  re(`^\s*(?:\}\s*)?(?:else\s+)?(?:el)?if\b`),
			msg: "changes when the sandbox is turned off"},
		{id: lang + "/public-tunnel", cat: "infra", sev: "high", token: "tunnel", text: true, inStrings: true, once: true,
			re:  re(publicTunnel),
			msg: "publishes a local port on a public URL ({name}): anyone with the link reaches it"},
	})
}

// decidesSandbox is an if whose line or next line turns a sandbox off.
func decidesSandbox(h *hit) bool {
	if sandboxOffRE.MatchString(h.v.text) {
		return true
	}
	if h.in == nil || h.v.no >= len(h.in.text) {
		return false
	}
	return sandboxOffRE.MatchString(h.in.text[h.v.no])
}

// childFlag is a flag literal added to the argument list of a process the
// file starts: cmd.extend(["--permission-mode", …]), args.push("--yolo"). A
// flag about permissions, tools, settings or a sandbox changes what the
// child may do (auth). Any other flag is a new option of the interface to
// that process (an entry point), a low note the screen leaves unmarked.
const childFlag = `\b\w*(?:cmd|args|argv|command|flags)\w*\s*(?:\.\s*(?:extend|append|push|concat|unshift|insert)\s*\(\s*(?:\d+\s*,\s*)?|\+=\s*)\[?\s*['"` + "`" + `](?P<name>--?[A-Za-z][-\w]*)`

const permissionFlag = `(?i)permission|allowed|disallowed|tools|sandbox|skip|dangerous|bypass|trust|setting|yolo|approve|unsafe|insecure`

func childFlagRules(lang, spawns string) []rule {
	return notInTests([]rule{
		{id: lang + "/child-permission-flag", cat: "auth", sev: "medium", token: "child-flag", text: true,
			re: re(childFlag), fileHas: re(spawns), check: func(h *hit) bool { return permissionFlagRE.MatchString(h.group("name")) },
			msg: "passes {name} to the process it starts: what that process may do is decided here"},
		{id: lang + "/child-flag", cat: "entry-point", sev: "low", token: "child-flag", text: true,
			re: re(childFlag), fileHas: re(spawns), check: func(h *hit) bool { return !permissionFlagRE.MatchString(h.group("name")) },
			msg: "passes a new option {name} to the process it starts"},
	})
}

var permissionFlagRE = regexp.MustCompile(permissionFlag)
