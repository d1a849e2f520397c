package authorship

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func human(msg string) Commit {
	return Commit{
		AuthorName: "Jane Doe", AuthorEmail: "jane@example.com",
		CommitterName: "Jane Doe", CommitterEmail: "jane@example.com",
		Message: msg,
	}
}

func byBot(name, email, msg string) Commit {
	return Commit{
		AuthorName: name, AuthorEmail: email,
		CommitterName: "GitHub", CommitterEmail: "noreply@github.com",
		Message: msg,
	}
}

func trailer(text, assistant string) Evidence {
	return Evidence{Kind: KindTrailer, Text: text, Assistant: assistant}
}

func message(text, assistant string) Evidence {
	return Evidence{Kind: KindMessage, Text: text, Assistant: assistant}
}

func author(text, assistant string) Evidence {
	return Evidence{Kind: KindAuthor, Text: text, Assistant: assistant}
}

func TestDetectBuiltinMarkers(t *testing.T) {
	const body = "fix(auth): refresh the session token\n\nThe token expired before the retry.\n\n"
	tests := []struct {
		name   string
		commit Commit
		want   []Evidence
	}{
		{"claude trailer", human(body + "Co-authored-by: Claude <noreply@anthropic.com>\n"),
			[]Evidence{trailer("Co-authored-by: Claude <noreply@anthropic.com>", "Claude Code")}},
		{"claude model name, Claude Code casing", human(body + "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"),
			[]Evidence{trailer("Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>", "Claude Code")}},
		{"lower-case key, extra spaces", human(body + "co-authored-by:   Claude Sonnet 4.5   <NoReply@Anthropic.com>  \r\n"),
			[]Evidence{trailer("co-authored-by:   Claude Sonnet 4.5   <NoReply@Anthropic.com>", "Claude Code")}},
		{"space before colon, indented", human(body + "   Co-authored-by : Claude <noreply@anthropic.com>"),
			[]Evidence{trailer("Co-authored-by : Claude <noreply@anthropic.com>", "Claude Code")}},
		{"copilot noreply trailer", human(body + "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"),
			[]Evidence{trailer("Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>", "GitHub Copilot")}},
		{"copilot github.com trailer", human(body + "Co-authored-by: Copilot <copilot@github.com>"),
			[]Evidence{trailer("Co-authored-by: Copilot <copilot@github.com>", "GitHub Copilot")}},
		{"cursor trailer", human(body + "Co-authored-by: Cursor Agent <cursoragent@cursor.com>"),
			[]Evidence{trailer("Co-authored-by: Cursor Agent <cursoragent@cursor.com>", "Cursor")}},
		{"aider chat trailer", human(body + "Co-authored-by: aider (gpt-4o) <aider@aider.chat>"),
			[]Evidence{trailer("Co-authored-by: aider (gpt-4o) <aider@aider.chat>", "Aider")}},
		{"aider noreply chat trailer", human(body + "Co-authored-by: aider (claude-3-5-sonnet) <noreply@aider.chat>"),
			[]Evidence{trailer("Co-authored-by: aider (claude-3-5-sonnet) <noreply@aider.chat>", "Aider")}},
		{"aider dev trailer", human(body + "Co-authored-by: aider <noreply@aider.dev>"),
			[]Evidence{trailer("Co-authored-by: aider <noreply@aider.dev>", "Aider")}},
		{"codex trailer", human(body + "Co-authored-by: Codex <noreply@openai.com>"),
			[]Evidence{trailer("Co-authored-by: Codex <noreply@openai.com>", "Codex")}},
		{"crush trailer", human(body + "Co-Authored-By: Crush <crush@charm.land>"),
			[]Evidence{trailer("Co-Authored-By: Crush <crush@charm.land>", "Crush")}},
		{"warp trailer", human(body + "Co-Authored-By: Warp <agent@warp.dev>"),
			[]Evidence{trailer("Co-Authored-By: Warp <agent@warp.dev>", "Warp")}},
		{"warp oz trailer", human(body + "Co-Authored-By: Oz <oz-agent@warp.dev>"),
			[]Evidence{trailer("Co-Authored-By: Oz <oz-agent@warp.dev>", "Warp")}},
		{"gemini code assist trailer", human(body + "Co-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>"),
			[]Evidence{trailer("Co-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>", "Gemini Code Assist")}},
		{"amp trailer", human(body + "Amp-Thread-ID: https://ampcode.com/threads/T-1\nCo-authored-by: Amp <amp@ampcode.com>"),
			[]Evidence{trailer("Co-authored-by: Amp <amp@ampcode.com>", "Amp")}},
		{"trailer mid-body of a squash merge", human("Add retries (#42)\n\n* first step\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\n* second step\n\nSigned-off-by: Jane Doe <jane@example.com>"),
			[]Evidence{trailer("Co-authored-by: Claude <noreply@anthropic.com>", "Claude Code")}},

		{"copilot swe agent author", byBot("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com", "Initial plan"),
			[]Evidence{author("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", "GitHub Copilot")}},
		{"Copilot with its noreply", byBot("Copilot", "198982749+Copilot@users.noreply.github.com", "Fix flaky test"),
			[]Evidence{author("Copilot <198982749+Copilot@users.noreply.github.com>", "GitHub Copilot")}},
		{"devin author", byBot("devin-ai-integration[bot]", "158243242+devin-ai-integration[bot]@users.noreply.github.com", "Add endpoint"),
			[]Evidence{author("devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>", "Devin")}},
		{"jules author", byBot("google-labs-jules[bot]", "161369871+google-labs-jules[bot]@users.noreply.github.com", "Refactor"),
			[]Evidence{author("google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>", "Jules")}},
		{"amazon q author", byBot("amazon-q-developer[bot]", "208079219+amazon-q-developer[bot]@users.noreply.github.com", "Update docs"),
			[]Evidence{author("amazon-q-developer[bot] <208079219+amazon-q-developer[bot]@users.noreply.github.com>", "Amazon Q")}},
		{"chatgpt codex connector author", byBot("chatgpt-codex-connector[bot]", "199175422+chatgpt-codex-connector[bot]@users.noreply.github.com", "Add tests"),
			[]Evidence{author("chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>", "Codex")}},
		{"openai codex author by name only", byBot("openai-codex[bot]", "bot@example.com", "Add tests"),
			[]Evidence{author("openai-codex[bot] <bot@example.com>", "Codex")}},
		{"gemini code assist author by old noreply", byBot("Gemini", "gemini-code-assist[bot]@users.noreply.github.com", "Apply suggestion"),
			[]Evidence{author("Gemini <gemini-code-assist[bot]@users.noreply.github.com>", "Gemini Code Assist")}},
		{"cursor agent author", byBot("Cursor Agent", "cursoragent@cursor.com", "Implement feature"),
			[]Evidence{author("Cursor Agent <cursoragent@cursor.com>", "Cursor")}},
		{"claude noreply author", byBot("Claude", "noreply@anthropic.com", "Implement feature"),
			[]Evidence{author("Claude <noreply@anthropic.com>", "Claude Code")}},
		{"aider author and committer", Commit{
			AuthorName: "Jane Doe (aider)", AuthorEmail: "jane@example.com",
			CommitterName: "Jane Doe (aider)", CommitterEmail: "jane@example.com",
			Message: "feat: add parser"},
			[]Evidence{
				author("Jane Doe (aider) <jane@example.com>", "Aider"),
				{Kind: KindCommitter, Text: "Jane Doe (aider) <jane@example.com>", Assistant: "Aider"},
			}},

		{"assisted-by kernel style", human(body + "Assisted-by: Claude:claude-3-opus coccinelle sparse\nSigned-off-by: Jane Doe <jane@example.com>"),
			[]Evidence{trailer("Assisted-by: Claude:claude-3-opus coccinelle sparse", "Claude")}},
		{"assisted-by crush", human(body + "Assisted-by: Crush:claude-sonnet-4"),
			[]Evidence{trailer("Assisted-by: Crush:claude-sonnet-4", "Crush")}},
		{"assisted-by plain tool", human(body + "assisted-by: GitHub Copilot"),
			[]Evidence{trailer("assisted-by: GitHub Copilot", "GitHub Copilot")}},
		{"assisted-by with address", human(body + "Assisted-by: Gemini <gemini@example.com>"),
			[]Evidence{trailer("Assisted-by: Gemini <gemini@example.com>", "Gemini")}},
		{"generated-by", human(body + "Generated-by: ChatGPT"),
			[]Evidence{trailer("Generated-by: ChatGPT", "ChatGPT")}},

		{"claude code footer", human(body + "🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>"),
			[]Evidence{
				message("🤖 Generated with [Claude Code](https://claude.com/claude-code)", "Claude Code"),
				trailer("Co-Authored-By: Claude <noreply@anthropic.com>", "Claude Code"),
			}},
		{"claude code footer, old url, no emoji", human(body + "Generated with [Claude Code](https://claude.ai/code)"),
			[]Evidence{message("Generated with [Claude Code](https://claude.ai/code)", "Claude Code")}},
		{"crush footer", human(body + "💘 Generated with Crush"),
			[]Evidence{message("💘 Generated with Crush", "Crush")}},
		{"crush footer with suffix", human(body + "Generated with Crush (https://github.com/charmbracelet/crush)"),
			[]Evidence{message("Generated with Crush (https://github.com/charmbracelet/crush)", "Crush")}},
		{"aider subject", human("aider: Added retries to the HTTP client\n\n# Aider chat conversation:"),
			[]Evidence{message("aider: Added retries to the HTTP client", "Aider")}},
	}
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Detect(tt.commit)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Detect() =\n  %#v\nwant\n  %#v", got, tt.want)
			}
		})
	}
}

func TestDetectNotAI(t *testing.T) {
	tests := []struct {
		name   string
		commit Commit
	}{
		{"human named Claude", Commit{AuthorName: "Claude Martin", AuthorEmail: "claude@example.com",
			CommitterName: "Claude Martin", CommitterEmail: "claude@example.com", Message: "Fix typo"}},
		{"human co-author named Claude", human("Pair on parser\n\nCo-authored-by: Claude Dupont <claude.dupont@example.org>")},
		{"co-author display name Copilot, human e-mail", human("x\n\nCo-authored-by: Copilot <jane@example.com>")},
		{"dependabot", byBot("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com",
			"Bump golang.org/x/net from 0.1.0 to 0.2.0\n\nSigned-off-by: dependabot[bot] <support@github.com>")},
		{"renovate", byBot("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", "chore(deps): update module foo to v2")},
		{"github actions", byBot("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", "Update generated files")},
		{"release please", byBot("release-please[bot]", "55107282+release-please[bot]@users.noreply.github.com", "chore(main): release 1.2.0")},
		{"semantic release", byBot("semantic-release-bot", "semantic-release-bot@martynus.net", "chore(release): 1.2.0 [skip ci]")},
		{"goreleaser", byBot("goreleaser", "bot@goreleaser.com", "Brew formula update for vouch version v1.0.0")},
		{"human github noreply", Commit{AuthorName: "Jane", AuthorEmail: "12345+jane@users.noreply.github.com",
			CommitterName: "Jane", CommitterEmail: "12345+jane@users.noreply.github.com", Message: "Fix"}},
		{"bare name Copilot with human e-mail", byBot("Copilot", "copilot.fan@example.com", "Fix")},
		{"prose mentions", human("Compare with what copilot suggested\n\nClaude said the lock was fine; I disagree.\nCopilot and claude both missed the race.")},
		{"signed-off-by", human("Fix\n\nSigned-off-by: Claude Martin <claude@example.com>\nSigned-off-by: Jane Doe <jane@example.com>")},
		{"address in prose", human("Fix\n\nSee noreply@anthropic.com docs for the format.")},
		{"co-authored-by not at line start", human("Fix\n\nWe used to add Co-authored-by: Claude <noreply@anthropic.com> here.")},
		{"generated with mentioned in prose", human("Fix\n\nThe old footer said Generated with [Claude Code](https://claude.ai/code).")},
		{"aider not in subject", human("Fix\n\naider: is how aider prefixes its subjects")},
		{"empty assisted-by", human("Fix\n\nAssisted-by:")},
		{"crushed", human("Fix\n\nGenerated with Crushed ice")},
		{"empty commit", Commit{}},
		{"aider suffix alone", Commit{AuthorName: " (aider)", AuthorEmail: "x@example.com"}},
		{"noreply with non-numeric id", byBot("x", "abc+copilot@users.noreply.github.com", "Fix")},
	}
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Detect(tt.commit); got != nil {
				t.Errorf("Detect() = %#v, want nil", got)
			}
		})
	}
}

func TestDetectKeepsEveryMarkerInOrder(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := Commit{
		AuthorName: "copilot-swe-agent[bot]", AuthorEmail: "198982749+Copilot@users.noreply.github.com",
		CommitterName: "Jane Doe (aider)", CommitterEmail: "jane@example.com",
		Message: "aider: wire the cache\n\n" +
			"🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n" +
			"Co-authored-by: Claude <noreply@anthropic.com>\n" +
			"Co-authored-by: Claude <noreply@anthropic.com>\n" + // repeated by a squash merge
			"Co-authored-by: Cursor Agent <cursoragent@cursor.com>\n" +
			"Assisted-by: Crush:claude-sonnet-4\n",
		AINote: "src/cache.go\n  abcd1234abcd1234 1-40\n---\n" +
			`{"schema_version":"authorship/3.0.0","base_commit_sha":"x","prompts":{"abcd1234abcd1234":{"agent_id":{"tool":"cursor","id":"1","model":"claude-4.5-opus"}}}}`,
	}
	want := []Evidence{
		author("copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", "GitHub Copilot"),
		{Kind: KindCommitter, Text: "Jane Doe (aider) <jane@example.com>", Assistant: "Aider"},
		message("aider: wire the cache", "Aider"),
		message("🤖 Generated with [Claude Code](https://claude.com/claude-code)", "Claude Code"),
		trailer("Co-authored-by: Claude <noreply@anthropic.com>", "Claude Code"),
		trailer("Co-authored-by: Cursor Agent <cursoragent@cursor.com>", "Cursor"),
		trailer("Assisted-by: Crush:claude-sonnet-4", "Crush"),
		{Kind: KindNote, Text: "refs/notes/ai: cursor, claude-4.5-opus", Assistant: "Cursor"},
	}
	if got := d.Detect(c); !reflect.DeepEqual(got, want) {
		t.Errorf("Detect() =\n  %#v\nwant\n  %#v", got, want)
	}
}

func TestDetectGitAINote(t *testing.T) {
	const meta = `{"schema_version":"authorship/3.0.0","base_commit_sha":"7734793b","prompts":%s%s}`
	tests := []struct {
		name string
		note string
		want []Evidence
	}{
		{"no note", "", nil},
		{"v3 log with two agents", "src/main.rs\n  abcd1234abcd1234 1-10,15-20\n  efgh5678efgh5678 25\n---\n" +
			fmt.Sprintf(meta, `{"efgh5678efgh5678":{"agent_id":{"tool":"claude","model":"claude-sonnet-4-5"}},`+
				`"abcd1234abcd1234":{"agent_id":{"tool":"cursor","model":"claude-4.5-opus"}}}`, ""),
			[]Evidence{
				{Kind: KindNote, Text: "refs/notes/ai: claude, claude-sonnet-4-5", Assistant: "Claude Code"},
				{Kind: KindNote, Text: "refs/notes/ai: cursor, claude-4.5-opus", Assistant: "Cursor"},
			}},
		{"sessions of newer git-ai", "src/lib.rs\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-5\n---\n" +
			fmt.Sprintf(meta, `{}`, `,"sessions":{"s_c9883b05a2487d":{"agent_id":{"tool":"some-new-agent"}}}`),
			[]Evidence{{Kind: KindNote, Text: "refs/notes/ai: some-new-agent", Assistant: "some-new-agent"}}},
		{"ai lines but no agent named", "src/lib.rs\n  abcd1234abcd1234 1-5\n---\n" + fmt.Sprintf(meta, `{}`, ""),
			[]Evidence{{Kind: KindNote, Text: "refs/notes/ai: authorship/3.0.0", Assistant: "git-ai"}}},
		{"human-only log", "src/lib.rs\n  h_31dce776f88375 1-5\n---\n" +
			fmt.Sprintf(meta, `{}`, `,"humans":{"h_31dce776f88375":{"author":"Jane <jane@example.com>"}}`), nil},
		{"metadata-only log", "---\n" + fmt.Sprintf(meta, `{}`, ""), nil},
		{"unknown format", "agent: copilot\nmodel: gpt-4o\n",
			[]Evidence{{Kind: KindNote, Text: "refs/notes/ai: agent: copilot", Assistant: "git-ai"}}},
		{"long first line is cut", strings.Repeat("é", 200),
			[]Evidence{{Kind: KindNote, Text: "refs/notes/ai: " + strings.Repeat("é", 60) + "…", Assistant: "git-ai"}}},
	}
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := human("Refactor the loader")
			c.AINote = tt.note
			if got := d.Detect(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Detect() =\n  %#v\nwant\n  %#v", got, tt.want)
			}
		})
	}
}

func TestConfigMarkers(t *testing.T) {
	d, err := New([]Marker{
		{Assistant: "Acme Agent", Email: "Agent@Acme.example"},
		{Assistant: "Acme Bot", Name: "acme-bot[bot]"},
		{Assistant: "Acme Tool", Trailer: "AI-Tool"},
		{Trailer: "X-Model"},
		{Assistant: "Acme CLI", Message: `^Generated by acme-cli v\d+`},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		commit Commit
		want   []Evidence
	}{
		{"email as author", byBot("Acme Agent", "agent@acme.example", "Fix"),
			[]Evidence{author("Acme Agent <agent@acme.example>", "Acme Agent")}},
		{"email as committer", Commit{AuthorName: "Jane", AuthorEmail: "jane@example.com",
			CommitterName: "Agent", CommitterEmail: "AGENT@acme.example", Message: "Fix"},
			[]Evidence{{Kind: KindCommitter, Text: "Agent <AGENT@acme.example>", Assistant: "Acme Agent"}}},
		{"email as co-author", human("Fix\n\nCo-authored-by: Acme <agent@acme.example>"),
			[]Evidence{trailer("Co-authored-by: Acme <agent@acme.example>", "Acme Agent")}},
		{"name", byBot("Acme-Bot[bot]", "1+acme-bot[bot]@users.noreply.github.com", "Fix"),
			[]Evidence{author("Acme-Bot[bot] <1+acme-bot[bot]@users.noreply.github.com>", "Acme Bot")}},
		{"name through noreply login", byBot("Acme", "99+acme-bot[bot]@users.noreply.github.com", "Fix"),
			[]Evidence{author("Acme <99+acme-bot[bot]@users.noreply.github.com>", "Acme Bot")}},
		{"trailer", human("Fix\n\nai-tool: internal-llm v3"),
			[]Evidence{trailer("ai-tool: internal-llm v3", "Acme Tool")}},
		{"trailer without assistant names the value", human("Fix\n\nX-Model: gpt-5"),
			[]Evidence{trailer("X-Model: gpt-5", "gpt-5")}},
		{"message regexp", human("Fix\n\nGenerated by acme-cli v2 (model m)"),
			[]Evidence{message("Generated by acme-cli v2 (model m)", "Acme CLI")}},
		{"message regexp does not match elsewhere", human("Fix\n\nnot Generated by acme-cli v2"), nil},
		{"name is not a prefix match", byBot("acme-bot[bot]2", "x@example.com", "Fix"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Detect(tt.commit); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Detect() =\n  %#v\nwant\n  %#v", got, tt.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name   string
		marker Marker
		want   string
	}{
		{"no match field", Marker{Assistant: "X"}, "set exactly one"},
		{"blank match field", Marker{Assistant: "X", Email: "  "}, "set exactly one"},
		{"two match fields", Marker{Assistant: "X", Email: "a@b.example", Name: "a"}, "found 2"},
		{"bad regexp", Marker{Assistant: "X", Message: `Generated (by`}, "message regexp"},
		{"not an e-mail", Marker{Assistant: "X", Email: "acme.example"}, "not a full e-mail"},
		{"trailer with colon", Marker{Assistant: "X", Trailer: "AI-Tool:"}, "without ':'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New([]Marker{{Assistant: "ok", Name: "ok[bot]"}, tt.marker})
			if err == nil {
				t.Fatal("New() succeeded, want error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "marker 2") || strings.Contains(msg, "\n") {
				t.Errorf("New() error = %q, want one line naming marker 2 and containing %q", msg, tt.want)
			}
		})
	}
}

func TestIsAIIdentity(t *testing.T) {
	d, err := New([]Marker{{Assistant: "Acme", Email: "agent@acme.example"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, email string
		want        bool
	}{
		{"Claude", "noreply@anthropic.com", true},
		{"Copilot", "198982749+Copilot@users.noreply.github.com", true},
		{"copilot-swe-agent[bot]", "", true},
		{"Jane Doe (aider)", "jane@example.com", true},
		{"Acme", "AGENT@acme.example", true},
		{"Claude Martin", "claude@example.com", false},
		{"Jane", "12345+jane@users.noreply.github.com", false},
		{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", false},
		{"Copilot", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.email, func(t *testing.T) {
			if got := d.IsAIIdentity(tt.name, tt.email); got != tt.want {
				t.Errorf("IsAIIdentity(%q, %q) = %v, want %v", tt.name, tt.email, got, tt.want)
			}
		})
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>", "Jane Doe (aider)", "1+copilot@users.noreply.github.com", "")
	f.Add("aider: x\r\nAssisted-by: :<>", "copilot-swe-agent[bot]", "@", "---\n{}")
	f.Add("🤖 Generated with Crush", "", "noreply@anthropic.com", "a\n  abc 1\n---\n{\"schema_version\":\"authorship/3.0.0\"}")
	f.Add("Co-authored-by: <", "\xff(aider)", "+@users.noreply.github.com", "\xff\xfe")
	d, err := New([]Marker{{Assistant: "Acme", Trailer: "AI-Tool"}, {Assistant: "Acme", Message: `(?i)acme`}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, msg, name, email, note string) {
		c := Commit{AuthorName: name, AuthorEmail: email, CommitterName: name, CommitterEmail: email, Message: msg, AINote: note}
		got := d.Detect(c)
		if got != nil && len(got) == 0 {
			t.Fatal("Detect returned an empty, non-nil slice")
		}
		for i, e := range got {
			if e.Text == "" || e.Assistant == "" {
				t.Fatalf("evidence %d has an empty field: %#v", i, e)
			}
			switch e.Kind {
			case KindTrailer, KindMessage:
				if !strings.Contains(msg, e.Text) {
					t.Fatalf("evidence %q is not in the message", e.Text)
				}
			case KindAuthor, KindCommitter:
				if !d.IsAIIdentity(name, email) {
					t.Fatalf("identity evidence %q but IsAIIdentity is false", e.Text)
				}
			case KindNote:
			default:
				t.Fatalf("unknown kind %q", e.Kind)
			}
			for _, other := range got[:i] {
				if other == e {
					t.Fatalf("duplicate evidence %#v", e)
				}
			}
		}
	})
}

// benchmarkCommits is a mix shaped like a real range: mostly human commits, some with long
// bodies, and the usual assistant footers.
func benchmarkCommits() []Commit {
	subjects := []string{"fix(auth): refresh token before retry", "Bump golang.org/x/net from 0.30.0 to 0.31.0",
		"refactor: split the loader", "docs: explain the queue order", "Merge pull request #812 from acme/feature"}
	footers := []string{"", "Signed-off-by: Jane Doe <jane@example.com>",
		"🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>",
		"Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
		"Assisted-by: Crush:claude-sonnet-4\nSigned-off-by: Jane Doe <jane@example.com>",
		"Reviewed-by: Alex Roe <alex@example.com>\nCo-authored-by: Sam Poe <sam@example.org>"}
	var body strings.Builder
	for i := range 30 {
		fmt.Fprintf(&body, "Line %d of the explanation: the cache was read before the lock was held.\n", i)
	}
	var commits []Commit
	for i := range 300 {
		c := human(subjects[i%len(subjects)] + "\n\n" + body.String()[:(i*97)%body.Len()] + "\n" + footers[i%len(footers)])
		if i%17 == 0 {
			c.AuthorName, c.AuthorEmail = "copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"
		}
		commits = append(commits, c)
	}
	return commits
}

func BenchmarkDetect(b *testing.B) {
	d, err := New([]Marker{{Assistant: "Acme", Trailer: "AI-Tool"}})
	if err != nil {
		b.Fatal(err)
	}
	commits := benchmarkCommits()
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range commits {
			d.Detect(c)
		}
	}
}
