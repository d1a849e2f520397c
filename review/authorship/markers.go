package authorship

// builtinEmails are addresses only an assistant commits or co-authors with. Keys are lower-case.
var builtinEmails = map[string]string{
	"noreply@anthropic.com":   "Claude Code",
	"copilot@github.com":      "GitHub Copilot",
	"cursoragent@cursor.com":  "Cursor",
	"aider@aider.chat":        "Aider",
	"noreply@aider.chat":      "Aider",
	"noreply@aider.dev":       "Aider",
	"noreply@openai.com":      "Codex",
	"crush@charm.land":        "Crush",
	"agent@warp.dev":          "Warp",
	"oz-agent@warp.dev":       "Warp", // Warp's Oz agent
	"amp@ampcode.com":         "Amp",
	"openhands@all-hands.dev": "OpenHands",
	"noreply@opencode.ai":     "OpenCode",
}

// builtinLogins are GitHub accounts of assistants, matched as an author/committer name or as the
// login in "ID+LOGIN@users.noreply.github.com". All end in "[bot]", so no person's name matches.
var builtinLogins = map[string]string{
	"copilot-swe-agent[bot]":       "GitHub Copilot",
	"devin-ai-integration[bot]":    "Devin",
	"google-labs-jules[bot]":       "Jules",
	"amazon-q-developer[bot]":      "Amazon Q",
	"chatgpt-codex-connector[bot]": "Codex",
	"openai-codex[bot]":            "Codex",
	"gemini-code-assist[bot]":      "Gemini Code Assist",
	"claude[bot]":                  "Claude Code",
}

// githubCopilotLogin is Copilot's own account, which commits as
// "Copilot <ID+Copilot@users.noreply.github.com>"; "Copilot" alone is only a display name.
const githubCopilotLogin = "copilot"

// builtinTrailers are trailer keys whose mere presence marks AI help; the value names the tool
// (kernel, Fedora, ASF and OpenInfra policies).
var builtinTrailers = map[string]string{
	"assisted-by":  "",
	"generated-by": "",
}
