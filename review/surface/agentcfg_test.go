package surface_test

import (
	"slices"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

func TestAgentConfig(t *testing.T) {
	before := `{
  "permissions": {
    "allow": ["Bash(npm test:*)"]
  },
  "hooks": {
    "PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "bun run lint"}]}]
  }
}
`
	after := `{
  "permissions": {
    "allow": ["Bash(npm test:*)", "Bash", "WebFetch(domain:example.com)"],
    "defaultMode": "bypassPermissions"
  },
  "hooks": {
    "PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "bun run lint"}]},
      {"matcher": "Write", "hooks": [{"type": "command", "command": "bun run format"}]}]
  }
}
`
	d := surface.AgentConfigDetector{}
	if !d.Applies(".claude/settings.json") || !d.Applies("tools/.cursor/mcp.json") || d.Applies("src/settings.json") {
		t.Fatal("Applies")
	}
	got := map[string][]string{}
	for _, f := range d.Detect(surfacetest.Change(t, ".claude/settings.json", before, after)) {
		got[f.Evidence] = append(got[f.Evidence], f.Rule+" "+f.Severity)
		t.Log(f.Rule, f.Severity, f.Line, f.Message)
	}
	want := map[string]string{
		`"allow": ["Bash(npm test:*)", "Bash", "WebFetch(domain:example.com)"],`:             "agent/permission-allow high",
		`"defaultMode": "bypassPermissions"`:                                                 "agent/permission-mode high",
		`{"matcher": "Write", "hooks": [{"type": "command", "command": "bun run format"}]}]`: "agent/hook-command high",
	}
	for ev, w := range want {
		if !slices.Contains(got[ev], w) {
			t.Errorf("%s: got %q, want %q", ev, got[ev], w)
		}
	}

	mcp := d.Detect(surfacetest.Change(t, ".mcp.json", "", `{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/"]}, "docs": {"url": "https://mcp.example.com/sse"}}}
`))
	if len(mcp) != 2 || mcp[0].Category == mcp[1].Category {
		t.Errorf("mcp servers: %+v", mcp)
	}
	if n := d.Detect(surfacetest.Change(t, ".mcp.json", `{"mcpServers": {"fs": {"command": "npx", "args": ["a"]}}}
`, `{ "mcpServers": { "fs": { "command": "npx", "args": ["a"] } } }
`)); len(n) != 0 {
		t.Errorf("reformatted: %+v", n)
	}
}

func TestAgentPrompt(t *testing.T) {
	d := surface.AgentConfigDetector{}
	for p, want := range map[string]bool{".claude/commands/commit.md": true, "pkg/.claude/skills/review/SKILL.md": true,
		".claude/agents/reviewer.md": true, "docs/commands/commit.md": false, ".claude/README.md": false} {
		if d.Applies(p) != want {
			t.Errorf("Applies(%s) = %v", p, !want)
		}
	}
	after := "---\nallowed-tools: Bash(git add:*), Bash(git status:*), Read\ndescription: Create a git commit\n---\n\n## Context\n\n- Status: !`git status`\n- Diff: !`git diff HEAD`\n\nMention `!important` in prose only.\n"
	var got []string
	for _, f := range d.Detect(surfacetest.Change(t, ".claude/commands/commit.md", "", after)) {
		got = append(got, f.Rule+" "+f.Severity+" "+f.Message)
	}
	if len(got) != 3 {
		t.Fatalf("got %d findings: %q", len(got), got)
	}
	if w := "agent/permission-allow high while commit runs, the agent may use Bash(git add:*), Bash(git status:*) and Read without asking"; !slices.Contains(got, w) {
		t.Errorf("missing %q in %q", w, got)
	}
	if !slices.Contains(got, "agent/command-shell medium invoking commit runs `git diff HEAD` in a shell and puts its output in the prompt") {
		t.Errorf("no shell command in %q", got)
	}
	// An entry the file already had is not new; a widened one is.
	before := "---\nallowed-tools: [\"Bash(git status:*)\"]\n---\nStatus: !`git status`\n"
	changed := "---\nallowed-tools: [\"Bash(git status:*)\", \"Bash\"]\n---\nStatus: !`git status`\nNow.\n"
	fs := d.Detect(surfacetest.Change(t, ".claude/skills/ship/SKILL.md", before, changed))
	if len(fs) != 1 || fs[0].Message != "while ship runs, the agent may use Bash without asking" || fs[0].Severity != "high" {
		t.Errorf("widened skill: %+v", fs)
	}
	if got := surface.Classify(".claude/commands/commit.md"); got != surface.ContextCode {
		t.Errorf("Classify = %v, want code", got)
	}
}
