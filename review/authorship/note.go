package authorship

import (
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"
)

// A git-ai authorship log (Git AI Standard v3) is an attestation section mapping files to the
// sessions that wrote their lines, a line "---", then JSON metadata naming each session's agent:
//
//	src/main.rs
//	  abcd1234abcd1234 1-10,15-20
//	  h_31dce776f88375 42-50
//	---
//	{"schema_version":"authorship/3.0.0","prompts":{"abcd1234abcd1234":{"agent_id":{"tool":"cursor","model":"claude-4.5-opus"}}}}
type authorshipLog struct {
	SchemaVersion string                  `json:"schema_version"`
	Prompts       map[string]agentSession `json:"prompts"`
	Sessions      map[string]agentSession `json:"sessions"` // newer git-ai releases
}

type agentSession struct {
	AgentID struct {
		Tool  string `json:"tool"`
		Model string `json:"model"`
	} `json:"agent_id"`
}

// noteTextLimit keeps a note's evidence readable when the note is not a log we understand.
const noteTextLimit = 120

// noteEvidence reads the git-ai note on refs/notes/ai. A log that attributes no line to an
// agent and names none (git-ai also notes human-only and empty commits) is not evidence.
func noteEvidence(note string) []Evidence {
	if strings.TrimSpace(note) == "" {
		return nil
	}
	attestation, metadata, ok := splitNote(note)
	var log authorshipLog
	if !ok || json.Unmarshal([]byte(metadata), &log) != nil || !strings.HasPrefix(log.SchemaVersion, "authorship/") {
		// Not a format we know, but git-ai wrote it on the AI notes ref: show it rather than hide it.
		return []Evidence{{Kind: KindNote, Text: "refs/notes/ai: " + firstLine(note), Assistant: "git-ai"}}
	}

	type agent struct{ tool, model string }
	seen := map[agent]bool{}
	for _, sessions := range []map[string]agentSession{log.Prompts, log.Sessions} {
		for _, s := range sessions {
			seen[agent{strings.TrimSpace(s.AgentID.Tool), strings.TrimSpace(s.AgentID.Model)}] = true
		}
	}
	delete(seen, agent{})
	agents := make([]agent, 0, len(seen))
	for a := range seen {
		agents = append(agents, a)
	}
	sort.Slice(agents, func(i, j int) bool {
		if agents[i].tool != agents[j].tool {
			return agents[i].tool < agents[j].tool
		}
		return agents[i].model < agents[j].model
	})

	var out []Evidence
	for _, a := range agents {
		named := a.tool
		if a.model != "" && named != "" {
			named += ", " + a.model
		} else if named == "" {
			named = a.model
		}
		out = append(out, Evidence{Kind: KindNote, Text: "refs/notes/ai: " + named, Assistant: gitAIToolName(a.tool)})
	}
	if len(out) == 0 && attributesAILines(attestation) {
		out = append(out, Evidence{Kind: KindNote, Text: "refs/notes/ai: " + log.SchemaVersion, Assistant: "git-ai"})
	}
	return out
}

// splitNote cuts a log at its divider, a line holding exactly "---".
func splitNote(note string) (attestation, metadata string, ok bool) {
	note = strings.ReplaceAll(note, "\r\n", "\n")
	if rest, found := strings.CutPrefix(note, "---\n"); found {
		return "", rest, true
	}
	return strings.Cut(note, "\n---\n")
}

// attributesAILines reports whether any attestation entry points at a session rather than at a
// human ("h_" hashes are people in newer logs).
func attributesAILines(attestation string) bool {
	for _, line := range strings.Split(attestation, "\n") {
		entry, indented := strings.CutPrefix(line, "  ")
		if !indented {
			continue
		}
		hash, _, _ := strings.Cut(strings.TrimSpace(entry), " ")
		if hash != "" && !strings.HasPrefix(hash, "h_") {
			return true
		}
	}
	return false
}

// gitAIToolName turns git-ai's agent_id.tool into the name the reviewer knows.
func gitAIToolName(tool string) string {
	switch strings.ToLower(tool) {
	case "":
		return "git-ai"
	case "claude", "claude-code", "claude_code":
		return "Claude Code"
	case "cursor":
		return "Cursor"
	case "copilot", "github-copilot", "github_copilot":
		return "GitHub Copilot"
	case "codex":
		return "Codex"
	case "gemini", "gemini-cli":
		return "Gemini CLI"
	case "amp":
		return "Amp"
	case "opencode":
		return "OpenCode"
	case "windsurf":
		return "Windsurf"
	case "crush":
		return "Crush"
	case "warp":
		return "Warp"
	}
	return tool
}

func firstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if len(line) > noteTextLimit {
				cut := noteTextLimit
				for cut > 0 && !utf8.RuneStart(line[cut]) {
					cut--
				}
				line = line[:cut] + "…"
			}
			return line
		}
	}
	return ""
}
