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
