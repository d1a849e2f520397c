package review

import (
	"os"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/checklist"
)

// TestREADMEConfigExample keeps the README's config example true: it must
// decode without unknown keys and its policy must compile.
func TestREADMEConfigExample(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```toml\n")
	if !ok {
		t.Fatal("README has no toml example")
	}
	example, _, _ := strings.Cut(rest, "```")
	var cfg Config
	if err := decodeConfig("README.md", []byte(example), &cfg); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Markers) != 4 || len(cfg.Policy.Custom) != 1 {
		t.Fatalf("example decoded to %d markers, %d custom rules", len(cfg.Markers), len(cfg.Policy.Custom))
	}
	if _, err := cfg.Policy.Compile(); err != nil {
		t.Fatal(err)
	}
}

// TestREADMEChecklistExample: the README's organisation checklist parses
// with no problems.
func TestREADMEChecklistExample(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```markdown\n")
	if !ok {
		t.Fatal("README has no checklist example")
	}
	example, _, _ := strings.Cut(rest, "```\n\n")
	c, problems := checklist.Parse("README.md", []byte(example))
	if c == nil || len(problems) > 0 {
		t.Fatalf("README checklist: %v", problems)
	}
	if c.ID != "acme-supply-chain" || len(c.Items) != 3 {
		t.Fatalf("parsed %s with %d items", c.ID, len(c.Items))
	}
}

// TestREADMEVerifyRules: the README's [[verify.rules]] example decodes and
// compiles.
func TestREADMEVerifyRules(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range strings.Split(string(data), "```toml\n")[1:] {
		example, _, _ := strings.Cut(block, "```")
		if !strings.Contains(example, "[[verify.rules]]") {
			continue
		}
		var cfg Config
		if err := decodeConfig("README.md", []byte(example), &cfg); err != nil {
			t.Fatal(err)
		}
		rules, err := compileRules(cfg.Verify.Rules)
		if err != nil || len(rules) != 1 || rules[0].rule.MinReviewers != 2 {
			t.Fatalf("rules %+v: %v", rules, err)
		}
		return
	}
	t.Fatal("README has no [[verify.rules]] example")
}
