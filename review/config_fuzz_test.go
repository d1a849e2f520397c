package review

import (
	"regexp"
	"strings"
	"testing"
)

// goTypeName is a Go type as go-toml names it in its errors.
var goTypeName = regexp.MustCompile(`\b(review|surface)\.[A-Z]|\bof type \S`)

// FuzzDecodeConfig: whatever a repository commits as .vouch/config.toml, the
// decoder returns a config or one error line, and the policy compiles or
// says why; it never panics.
func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte("notes_ref = \"refs/notes/vouch\"\n[[markers]]\nemail = \"bot@acme.example\"\n"))
	f.Add([]byte("[policy]\ndenied_packages = [\"pkg:npm/event-stream\"]\n[[policy.custom]]\nid = \"a\"\ncategory = \"exec\"\nseverity = \"high\"\npattern = 'x('\n"))
	f.Add([]byte("[policy.rules]\n\"go/route\" = \"off\"\n[[policy.paths]]\nglob = \"**\"\nseverity = \"low\"\n"))
	f.Add([]byte("[verify]\nmin_reviewers = \"two\"\nbogus = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg Config
		if err := decodeConfig("config.toml", data, &cfg); err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "config.toml:") {
				t.Fatalf("error %q does not name the file", msg)
			}
			if strings.ContainsAny(msg, "\n\r\x1b") || strings.Contains(msg, "struct field") || goTypeName.MatchString(msg) {
				t.Fatalf("error %q is not one line in the user's words", msg)
			}
			return
		}
		_, _ = cfg.Policy.Compile()
	})
}
