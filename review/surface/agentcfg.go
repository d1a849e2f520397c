package surface

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AgentConfigDetector reads the files that tell a coding agent what it may
// do on its own and what it runs: Claude Code's settings (hooks run shell
// commands on tool events; permissions.allow lets tools run unasked) and
// MCP server lists (.mcp.json, .cursor/mcp.json, .vscode/mcp.json, which
// start a process or reach a server for every session that opens the
// repository), and Claude Code's slash commands, skills and subagents
// (.claude/commands/*.md, .claude/skills/*/SKILL.md, .claude/agents/*.md):
// their allowed-tools pre-approve tools while they run, and a !`command`
// line runs in a shell each time the command is invoked. Entries are
// compared before and after: only what the commit adds or widens is
// reported.
type AgentConfigDetector struct{}

func (AgentConfigDetector) Name() string { return "agent-config" }

func (AgentConfigDetector) Applies(p string) bool { return agentConfigKind(p) != "" }

func agentConfigKind(p string) string {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	dir := path.Base(path.Dir(lp))
	switch {
	case dir == ".claude" && strings.HasPrefix(base, "settings") && strings.HasSuffix(base, ".json"):
		return "claude"
	case strings.HasSuffix(base, ".md") && IsAgentPrompt(p):
		return "claude-md"
	case base == ".mcp.json", base == "mcp.json" && (dir == ".cursor" || dir == ".vscode" || dir == ".roo" || dir == ".kiro"),
		base == "claude_desktop_config.json", dir == ".gemini" && base == "settings.json":
		return "mcp"
	}
	return ""
}

// agentEntry is one thing a config grants or runs, keyed so the same entry
// on both sides is not new.
type agentEntry struct {
	key, category, rule, severity, message, needle string
	plain                                          bool   // needle is looked for as written, not as JSON spells it
	tool                                           string // the tool a grant names, which its message holds
}

// IsAgentPrompt is a Markdown file a coding agent runs as a command, skill
// or subagent: under .claude/commands/, .claude/skills/ or .claude/agents/.
// It is configuration the agent acts on, not documentation.
func IsAgentPrompt(p string) bool {
	segs := strings.Split(strings.ToLower(p), "/")
	for i := 0; i+2 < len(segs); i++ {
		if segs[i] == ".claude" && (segs[i+1] == "commands" || segs[i+1] == "skills" || segs[i+1] == "agents") {
			return true
		}
	}
	return false
}

// bangCommand is a !`command` a slash command or skill runs in a shell
// when it is invoked, its output put into the prompt.
var bangCommand = regexp.MustCompile("(?:^|[^\\w`])!`([^`\n]+)`")

// promptEntries reads a command, skill or subagent file: what its front
// matter pre-approves (allowed-tools) and the shell commands its body runs.
func promptEntries(p string, data []byte) ([]agentEntry, bool) {
	if len(data) == 0 {
		return nil, true
	}
	name := strings.TrimSuffix(path.Base(p), path.Ext(p))
	if strings.EqualFold(name, "skill") {
		name = path.Base(path.Dir(p))
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	var out []agentEntry
	body := text
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if front, after, ok := strings.Cut(rest, "\n---"); ok {
			body = after
			var meta map[string]any
			if yaml.Unmarshal([]byte(front), &meta) != nil {
				return nil, false
			}
			for _, t := range toolList(meta["allowed-tools"]) {
				sev := "medium"
				if broadAllow(t) {
					sev = "high"
				}
				out = append(out, agentEntry{key: "allow|" + t, category: "auth", rule: "agent/permission-allow", severity: sev, needle: t, plain: true, tool: t,
					message: "while " + name + " runs, the agent may use " + t + " without asking"})
			}
		}
	}
	for _, line := range strings.Split(body, "\n") {
		for _, m := range bangCommand.FindAllStringSubmatch(line, -1) {
			cmd := strings.TrimSpace(m[1])
			out = append(out, agentEntry{key: "bang|" + cmd, category: "exec", rule: "agent/command-shell", severity: "medium", needle: "!`" + m[1] + "`", plain: true,
				message: "invoking " + name + " runs `" + clipText(cmd, 60) + "` in a shell and puts its output in the prompt"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, true
}

// toolList is allowed-tools as a YAML list or one string of tools
// separated by commas outside parentheses.
func toolList(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
	case string:
		depth, start := 0, 0
		for i, r := range t + "," {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ',', ' ':
				if depth <= 0 && (r == ',' || !strings.Contains(t, ",")) {
					if s := strings.TrimSpace(t[start:i]); s != "" {
						out = append(out, s)
					}
					start = i + 1
				}
			}
		}
	}
	return out
}

func agentEntries(data []byte) ([]agentEntry, bool) {
	if len(data) == 0 {
		return nil, true
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, false
	}
	var out []agentEntry
	// hooks: { Event: [ { matcher, hooks: [ { type: command, command } ] } ] }
	if hooks, ok := root["hooks"].(map[string]any); ok {
		for event, v := range hooks {
			for _, m := range asList(v) {
				mm, _ := m.(map[string]any)
				matcher, _ := mm["matcher"].(string)
				for _, h := range asList(mm["hooks"]) {
					hm, _ := h.(map[string]any)
					cmd, _ := hm["command"].(string)
					if cmd == "" {
						continue
					}
					on := event
					if matcher != "" {
						on += " (" + matcher + ")"
					}
					out = append(out, agentEntry{key: "hook|" + event + "|" + matcher + "|" + cmd, category: "exec", rule: "agent/hook-command",
						severity: "high", needle: cmd,
						message: fmt.Sprintf("agent hook runs a shell command on %s: %s", on, clipText(cmd, 80))})
				}
			}
		}
	}
	if perms, ok := root["permissions"].(map[string]any); ok {
		for _, a := range asList(perms["allow"]) {
			s, _ := a.(string)
			if s == "" {
				continue
			}
			sev := "medium"
			if broadAllow(s) {
				sev = "high"
			}
			out = append(out, agentEntry{key: "allow|" + s, category: "auth", rule: "agent/permission-allow", severity: sev, needle: s, tool: s,
				message: "the agent may now use " + s + " without asking"})
		}
		for _, a := range asList(perms["additionalDirectories"]) {
			if s, _ := a.(string); s != "" {
				out = append(out, agentEntry{key: "dir|" + s, category: "auth", rule: "agent/permission-allow", severity: "medium", needle: s,
					message: "the agent may now read and write " + s})
			}
		}
		if m, _ := perms["defaultMode"].(string); m == "bypassPermissions" || m == "acceptEdits" || m == "dontAsk" {
			out = append(out, agentEntry{key: "mode|" + m, category: "auth", rule: "agent/permission-mode", severity: "high", needle: m,
				message: "agent permission mode " + m + ": tools run without asking"})
		}
	}
	if v, _ := root["enableAllProjectMcpServers"].(bool); v {
		out = append(out, agentEntry{key: "mcp-all", category: "auth", rule: "agent/permission-mode", severity: "high", needle: "enableAllProjectMcpServers",
			message: "every MCP server the project lists starts without asking (enableAllProjectMcpServers)"})
	}
	servers, _ := root["mcpServers"].(map[string]any)
	if servers == nil {
		servers, _ = root["servers"].(map[string]any) // .vscode/mcp.json
	}
	for name, v := range servers {
		sm, _ := v.(map[string]any)
		cmd, _ := sm["command"].(string)
		url, _ := sm["url"].(string)
		switch {
		case cmd != "":
			var args []string
			for _, a := range asList(sm["args"]) {
				if s, ok := a.(string); ok {
					args = append(args, s)
				}
			}
			line := strings.TrimSpace(cmd + " " + strings.Join(args, " "))
			out = append(out, agentEntry{key: "mcp|" + name + "|" + line, category: "exec", rule: "agent/mcp-server", severity: "medium", needle: cmd,
				message: fmt.Sprintf("MCP server %s: every agent session in this repository starts %s", name, clipText(line, 80))})
		case url != "":
			out = append(out, agentEntry{key: "mcp|" + name + "|" + url, category: "egress", rule: "agent/mcp-server", severity: "medium", needle: url,
				message: fmt.Sprintf("MCP server %s: agent sessions in this repository reach %s", name, url)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, true
}

// broadAllow is a permission that covers every command or tool: Bash,
// Bash(*), a bare tool name or a wildcard.
func broadAllow(s string) bool {
	s = strings.TrimSpace(s)
	return !strings.Contains(s, "(") || strings.HasSuffix(s, "(*)") || strings.HasSuffix(s, "(:*)") || s == "*"
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func (AgentConfigDetector) Detect(c *Change) []Finding {
	read := agentEntries
	if agentConfigKind(c.Path()) == "claude-md" {
		read = func(data []byte) ([]agentEntry, bool) { return promptEntries(c.Path(), data) }
	}
	after, okA := read(c.After)
	before, okB := read(c.Before)
	if !okA || !okB {
		return nil // a file that does not parse says nothing reliable
	}
	had := map[string]bool{}
	for _, e := range before {
		had[e.key] = true
	}
	added := c.Added()
	var out []Finding
	// Tools granted on one line are one grant: one finding naming them all.
	grants := map[int]int{}
	var tools [][]string
	for _, e := range after {
		if had[e.key] {
			continue
		}
		l := lineWith(added, e.needle, e.plain)
		if l == nil {
			continue // not on a line the commit changed
		}
		if e.tool != "" {
			if i, ok := grants[l.No]; ok {
				tools[i] = append(tools[i], e.tool)
				if SeverityRank(e.severity) > SeverityRank(out[i].Severity) {
					out[i].Severity = e.severity
				}
				out[i].Message = strings.Replace(e.message, e.tool, joinAnd(tools[i]), 1)
				continue
			}
			grants[l.No] = len(out)
		}
		tools = append(tools, []string{e.tool})
		out = append(out, Finding{Category: e.category, Rule: e.rule, Severity: e.severity, Confidence: "high",
			Line: l.No, EndLine: l.No, Side: SideNew, Evidence: strings.TrimSpace(l.Text), Message: e.message, Token: e.rule})
	}
	return out
}

// joinAnd lists names as a sentence does: a, b and c.
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// lineWith is the first line that holds s as JSON spells it (as written,
// when plain).
func lineWith(ls []Line, s string, plain bool) *Line {
	inner := s
	if !plain {
		q, _ := json.Marshal(s)
		inner = strings.Trim(string(q), `"`)
	}
	for i := range ls {
		if strings.Contains(ls[i].Text, inner) {
			return &ls[i]
		}
	}
	return nil
}
