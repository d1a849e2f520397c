package authorship

import "testing"

func TestAIReviewerSpellings(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ai := []struct{ name, email string }{
		{"Claude", "noreply@anthropic.com"},
		{"Claude", "noreply@anthropic.com."},
		{"Claude", "NoReply@Anthropic.COM"},
		{"Claude", "noreply\u200b@anthropic.com"},
		{"Claude", "nore\u2060ply@anthropic.com"},
		{"Claude", "\ufeffnoreply@anthropic.com"},
		{"Claude", "n\u043ereply@anthropic.com"}, // Cyrillic о
		{"Claude", "<noreply@anthropic.com>"},
		{"Claude", " (noreply@anthropic.com). "},
		{"Claude", "ｎｏｒｅｐｌｙ@anthropic.com"}, // fullwidth, NFKC
		{"x", "198982749+Copilot@users.noreply.github.com"},
		{"x", "198982749+Cop\u200bilot@users.noreply.github.com"},
		{"copilot-swe-agent[bot]", "someone@example.com"},
		{"cоpilot-swe-agent[bot]", "someone@example.com"}, // Cyrillic о
	}
	for _, id := range ai {
		if !d.IsAIIdentity(id.name, id.email) {
			t.Errorf("%q <%q> not recognised as an AI identity", id.name, id.email)
		}
	}
	human := []struct{ name, email string }{
		{"Ada Reviewer", "ada@example.com"},
		{"Claude Monet", "claude@example.com"},
		{"Anthropic fan", "noreply@anthropic.example"},
		{"Rae", "rae@corp.example"},
	}
	for _, id := range human {
		if d.IsAIIdentity(id.name, id.email) {
			t.Errorf("%q <%q> taken for an AI identity", id.name, id.email)
		}
	}
}

func TestNormalizeIdentity(t *testing.T) {
	same := [][2]string{
		{"alice@corp.example", "Alice@Corp.Example"},
		{"alice@corp.example", "<alice@corp.example>."},
		{"alice@corp.example", "ali\u200dce@corp.example"},
		{"alice@corp.example", "\u0430lice@corp.example"}, // Cyrillic а
	}
	for _, p := range same {
		if NormalizeIdentity(p[0]) != NormalizeIdentity(p[1]) {
			t.Errorf("%q and %q normalize apart: %q vs %q", p[0], p[1], NormalizeIdentity(p[0]), NormalizeIdentity(p[1]))
		}
	}
	if NormalizeIdentity("alice@corp.example") == NormalizeIdentity("bob@corp.example") {
		t.Error("different people normalize alike")
	}
}
