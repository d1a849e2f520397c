package review

import "testing"

// FuzzDecodeConfig: whatever a repository commits as .vouch/config.toml, the
// decoder returns a config or one error line, and the policy compiles or
// says why; it never panics.
func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte("notes_ref = \"refs/notes/vouch\"\n[[markers]]\nemail = \"bot@acme.example\"\n"))
	f.Add([]byte("[policy]\ndenied_packages = [\"pkg:npm/event-stream\"]\n[[policy.custom]]\nid = \"a\"\ncategory = \"exec\"\nseverity = \"high\"\npattern = 'x('\n"))
	f.Add([]byte("[policy.rules]\n\"go/route\" = \"off\"\n[[policy.paths]]\nglob = \"**\"\nseverity = \"low\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg Config
		if err := decodeConfig("config.toml", data, &cfg); err != nil {
			return
		}
		_, _ = cfg.Policy.Compile()
	})
}
