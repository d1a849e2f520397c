package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/repo"
)

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name, toml, want string
	}{
		{"a word for a number", "notes_ref = \"refs/notes/vouch\"\n\n[verify]\nmin_reviewers = \"two\"\n",
			`.vouch/config.toml:4: verify.min_reviewers must be a number, got "two"`},
		{"a fraction for a number", "[verify]\nmin_reviewers = 1.5 # two reviewers\n",
			`.vouch/config.toml:2: verify.min_reviewers must be a number, got 1.5`},
		{"a string for a boolean", "[verify]\nnot_author = \"yes\"\n",
			`.vouch/config.toml:2: verify.not_author must be true or false, got "yes"`},
		{"a number for a string", "notes_ref = 3\n",
			`.vouch/config.toml:1: notes_ref must be a string in quotes, got 3`},
		{"a string for a list", "[policy]\ndenied_packages = \"pkg:npm/x\"\n",
			`.vouch/config.toml:2: policy.denied_packages must be a list of strings, got "pkg:npm/x"`},
		{"a value for an array of tables", "markers = 3\n",
			`.vouch/config.toml:1: markers must be a list of tables ([[…]]), got 3`},
		{"inside an array of tables", "[[markers]]\nemail = \"a@b\"\n[[markers]]\nemail = 3\n",
			`.vouch/config.toml:4: markers.email must be a string in quotes, got 3`},
		{"a quoted key in a table of strings", "[policy.rules]\n\"go/route\" = 3\n",
			`.vouch/config.toml:2: policy.rules."go/route" must be a string in quotes, got 3`},
		{"unknown key", "[verify]\nmin_reviewers = 2\nreviewers = 2\n",
			`.vouch/config.toml:3: unknown key verify.reviewers (keys of [verify]: require_complete, min_reviewers, not_author, require_presence, allow_carry_over, require_seen, strict_time, signed_trail, rules)`},
		{"unknown keys", "colour = 1\n[verify]\nbogus = 1\n",
			`.vouch/config.toml:1: unknown key colour (known keys: notes_ref, allowed_signers, markers, policy, checklists, verify), and 1 more unknown`},
		{"syntax", "[verify\nmin_reviewers = 2\n",
			`.vouch/config.toml:1:8: expected ']' to close table name`},
		{"set twice", "notes_ref = \"a\"\nnotes_ref = \"b\"\n",
			`.vouch/config.toml:2: notes_ref is set twice`},
		{"too large", "[verify]\nmin_reviewers = 99999999999999999999\n",
			`.vouch/config.toml:2: verify.min_reviewers: decimal number is too large to fit in a 64-bit signed integer`},
		{"format characters from the file", "[verify]\nmin_reviewers = \"\u202etwo\"\n",
			`.vouch/config.toml:2: verify.min_reviewers must be a number, got "\"\u202etwo\""`},
		{"control characters in a syntax error", "a = 1\x1b]0;x\n",
			`.vouch/config.toml:1:6: expected newline but got U+001B`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRepo(t)
			if err := os.MkdirAll(filepath.Join(r.dir, ".vouch"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(r.dir, RepoConfigPath), []byte(c.toml), 0o644); err != nil {
				t.Fatal(err)
			}
			rp, err := repo.Open(r.dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = LoadConfig(rp)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != c.want {
				t.Errorf("error\n %s\nwant\n %s", err, c.want)
			}
			checkConfigError(t, err.Error())
		})
	}
}

// checkConfigError: one line, in the user's words.
func checkConfigError(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"\n", "struct field", "of type", "review.", "surface.", "toml: ", "[]string"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q contains %q", msg, bad)
		}
	}
}

func TestUserConfigErrorNamesItsPath(t *testing.T) {
	r := newRepo(t)
	path := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "vouch", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("[checklists]\nrequire_complete = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rp, err := repo.Open(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LoadConfig(rp)
	want := path + ":2: checklists.require_complete must be true or false, got 1"
	if err == nil || err.Error() != want {
		t.Fatalf("error\n %v\nwant\n %s", err, want)
	}
}
