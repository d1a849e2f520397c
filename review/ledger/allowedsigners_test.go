package ledger

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const asKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP4M4KjMKP2/DetKhBfS4eTaVYhnU0TR1GePCdqYYfrf"

func TestParseAllowedSigners(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	local := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.Local)
	}
	cases := []struct {
		name, line string
		want       *SignerEntry // nil: skipped
		err        string       // substring of the error
	}{
		{name: "plain", line: "ada@example.com " + asKey + " ada's laptop", want: &SignerEntry{Principals: []string{"ada@example.com"}}},
		{name: "leading blanks", line: " \t ada@example.com   " + asKey, want: &SignerEntry{Principals: []string{"ada@example.com"}}},
		{name: "list and negation", line: "*@example.com,!bot@*,a?a " + asKey, want: &SignerEntry{Principals: []string{"*@example.com", "!bot@*", "a?a"}}},
		{name: "quoted principals", line: `"team lead,ada" ` + asKey, want: &SignerEntry{Principals: []string{"team lead", "ada"}}},
		{name: "cert-authority", line: "* cert-authority " + asKey, want: &SignerEntry{Principals: []string{"*"}, CertAuthority: true}},
		{name: "options case", line: `* CERT-Authority,NameSpaces="vouch" ` + asKey, want: &SignerEntry{Principals: []string{"*"}, CertAuthority: true, Namespaces: []string{"vouch"}}},
		{name: "quoted namespaces with commas", line: `a namespaces="git,vouch,file*",cert-authority ` + asKey, want: &SignerEntry{Principals: []string{"a"}, CertAuthority: true, Namespaces: []string{"git", "vouch", "file*"}}},
		{name: "escaped quote", line: `a namespaces="x\"y" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, Namespaces: []string{`x"y`}}},
		{name: "date Z", line: `a valid-after="20240102Z" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidAfter: utc("2024-01-02 00:00:00")}},
		{name: "minutes Z", line: `a valid-before="202401021530Z" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidBefore: utc("2024-01-02 15:30:00")}},
		{name: "seconds UTC", line: `a valid-before="20240102153045UTC" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidBefore: utc("2024-01-02 15:30:45")}},
		{name: "local date", line: `a valid-after="20240102" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidAfter: local(2024, 1, 2, 0, 0, 0)}},
		{name: "local seconds", line: `a valid-after="20240102030405" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidAfter: local(2024, 1, 2, 3, 4, 5)}},
		{name: "both times", line: `a valid-after="20240101Z",valid-before="20250101Z" ` + asKey, want: &SignerEntry{Principals: []string{"a"}, ValidAfter: utc("2024-01-01 00:00:00"), ValidBefore: utc("2025-01-01 00:00:00")}},
		{name: "comment", line: "# ada " + asKey},
		{name: "indented comment", line: "   # x"},
		{name: "blank", line: " \t\r"},
		{name: "no key", line: "ada@example.com", err: "missing key"},
		{name: "options no key", line: "ada@example.com cert-authority", err: "missing key"},
		{name: "bad base64", line: "ada ssh-ed25519 AAAA!!!!", err: "invalid key"},
		{name: "unknown key type", line: "ada ssh-foo " + strings.Fields(asKey)[1], err: `unknown key type "ssh-foo"`},
		{name: "unknown key type after options", line: `ada namespaces="vouch" ssh-foo ` + strings.Fields(asKey)[1], err: `unknown key type "ssh-foo"`},
		{name: "certificate type unknown", line: "ada foo-cert-v01@openssh.com " + strings.Fields(asKey)[1], err: `unknown key type "foo-cert-v01@openssh.com"`},
		{name: "no key type", line: "ada " + strings.Fields(asKey)[1], err: "no key type before the key"},
		{name: "type mismatch", line: "ada ssh-rsa " + strings.Fields(asKey)[1], err: "labelled ssh-rsa"},
		{name: "unknown option", line: "ada no-touch-required " + asKey, err: "unsupported option"},
		{name: "unquoted value", line: "ada valid-after=20240101 " + asKey, err: "missing start quote"},
		{name: "unterminated quote", line: `ada namespaces="vouch ` + asKey, err: "unterminated quote"},
		{name: "twice", line: `ada namespaces="a",namespaces="b" ` + asKey, err: "multiple"},
		{name: "trailing comma", line: `ada cert-authority,` + asKey, err: "invalid key"},
		{name: "empty option", line: `ada cert-authority,,namespaces="x" ` + asKey, err: "unsupported option"},
		{name: "junk after option", line: `ada cert-authorityX ` + asKey, err: "unknown key option"},
		{name: "bad time", line: `ada valid-after="2024011" ` + asKey, err: "valid-after"},
		{name: "bad month", line: `ada valid-after="20241301" ` + asKey, err: "valid-after"},
		{name: "zero time", line: `ada valid-after="19700101Z" ` + asKey, err: "valid-after"},
		{name: "unterminated principals", line: `"ada ` + asKey, err: "unterminated quote"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set, err := ParseAllowedSigners([]byte("# first line\n" + c.line + "\n"))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "allowed_signers:2: ") {
					t.Fatalf("error %v, want allowed_signers:2: …%s…", err, c.err)
				}
				if set == nil || len(set.Entries) != 0 {
					t.Fatalf("entries %+v for a bad line", set)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.want == nil {
				if len(set.Entries) != 0 {
					t.Fatalf("entries %+v, want none", set.Entries)
				}
				return
			}
			if len(set.Entries) != 1 {
				t.Fatalf("%d entries", len(set.Entries))
			}
			got := set.Entries[0]
			if got.Line != 2 || got.Key == nil || got.Key.Type() != "ssh-ed25519" {
				t.Errorf("line %d key %v", got.Line, got.Key)
			}
			got.Key, got.keyBlob, got.Line = nil, nil, 0
			if !reflect.DeepEqual(&got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, *c.want)
			}
		})
	}
}

func TestParseAllowedSignersKeepsGoodLines(t *testing.T) {
	path := filepath.Join("testdata", "verify", "allowed_signers")
	set, err := LoadAllowedSigners(path)
	want := []string{path + ":7: invalid key: bad base64"}
	if err == nil || err.Error() != want[0] {
		t.Fatalf("error %v, want %s", err, want[0])
	}
	if !reflect.DeepEqual(set.Problems, want) {
		t.Errorf("problems %q, want %q", set.Problems, want)
	}
	var lines []int
	for _, e := range set.Entries {
		lines = append(lines, e.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4, 6}) {
		t.Errorf("entries on lines %v", lines)
	}
	if _, err := LoadAllowedSigners(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("no error for a missing file")
	}
	data, _ := os.ReadFile(path)
	data = []byte(strings.ReplaceAll(string(data), "AAAA!!!!", "x") + "bad\nada ssh-foo AAAAC3NzaC1lZDI1NTE5\n\n# done\n")
	two, err := ParseAllowedSigners(data)
	want = []string{
		"allowed_signers:7: invalid key: bad base64",
		"allowed_signers:8: missing key",
		`allowed_signers:9: unknown key type "ssh-foo"`,
	}
	if !reflect.DeepEqual(two.Problems, want) || len(two.Entries) != 4 {
		t.Errorf("problems %q, want %q; %d entries", two.Problems, want, len(two.Entries))
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("error %v, want the problems joined", err)
	}
}

func TestMatchPatternList(t *testing.T) {
	cases := []struct {
		s, list string
		want    int
	}{
		{"ada@example.com", "ada@example.com", 1},
		{"ada@example.com", "ADA@example.com", 0}, // case-sensitive, as ssh-keygen
		{"ada@example.com", "*", 1},
		{"ada@example.com", "*@example.com", 1},
		{"ada@example.com", "*@example.co", 0},
		{"ada@example.com", "a?a@*.com", 1},
		{"ada@example.com", "a?@*", 0},
		{"ada@example.com", "bob@*,ada@*", 1},
		{"ada@example.com", "*,!ada@*", -1},
		{"ada@example.com", "!ada@*,*", -1},
		{"ada@example.com", "!bob@*", 0},
		{"ada@example.com", "*,!bob@*", 1},
		{"", "*", 1},
		{"", "", 1},
		{"a", "", 0},
		{"aaa", "*a*a*a*", 1},
		{"aa", "*a*a*a*", 0},
		{"ada", strings.Repeat("*", 1100), 0},
	}
	for _, c := range cases {
		if got := matchPatternList(c.s, strings.Split(c.list, ",")); got != c.want {
			t.Errorf("matchPatternList(%q, %q) = %d, want %d", c.s, c.list, got, c.want)
		}
	}
}

func TestParseSSHTime(t *testing.T) {
	for in, want := range map[string]string{
		"20240229Z":       "2024-02-29T00:00:00Z",
		"202402291201z":   "2024-02-29T12:01:00Z",
		"20240229120159Z": "2024-02-29T12:01:59Z",
		"20240229utc":     "2024-02-29T00:00:00Z",
	} {
		got, err := ParseSSHTime(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("%s: %v %v, want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "Z", "2024", "2024022", "+2024022Z", "2024-2-29", "20240229 Z", "20240229123Z", "20240001Z", "20240100Z", "20240101246000Z"} {
		if _, err := ParseSSHTime(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParseAllowedSigners(f *testing.F) {
	data, _ := os.ReadFile(filepath.Join("testdata", "verify", "allowed_signers"))
	f.Add(data)
	f.Add([]byte(`"a b",c namespaces="x\"y",valid-after="20240101" ` + asKey))
	f.Add([]byte("a cert-authority,valid-before=\"202401011200Z\" " + asKey + "\n#\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseAllowedSigners(data)
		if set == nil {
			t.Fatal("nil set")
		}
		for _, e := range set.Entries {
			if e.Key == nil || len(e.Principals) == 0 || e.Line < 1 {
				t.Fatalf("incomplete entry %+v", e)
			}
			e.MatchesPrincipal("ada@example.com")
			e.AllowsNamespace(Namespace)
		}
		if (err != nil) != (len(set.Problems) > 0) {
			t.Fatalf("error %v with problems %q", err, set.Problems)
		}
		if err != nil && err.Error() != strings.Join(set.Problems, "\n") {
			t.Fatalf("error %q is not the problems %q", err, set.Problems)
		}
		// Every line that is not blank or a comment is an entry or a
		// problem, never both, never dropped.
		seen := map[int]bool{}
		for _, e := range set.Entries {
			seen[e.Line] = true
		}
		for _, p := range set.Problems {
			var n int
			rest, ok := strings.CutPrefix(p, "allowed_signers:")
			num, why, ok2 := strings.Cut(rest, ": ")
			if _, serr := fmt.Sscan(num, &n); !ok || !ok2 || serr != nil || why == "" {
				t.Fatalf("problem %q: want allowed_signers:LINE: why", p)
			}
			if seen[n] {
				t.Fatalf("line %d reported twice or both entry and problem", n)
			}
			seen[n] = true
			if strings.ContainsAny(why, "\n\r\x1b") {
				t.Fatalf("problem %q is not one safe line", p)
			}
		}
		for i, line := range strings.Split(string(data), "\n") {
			s := strings.TrimLeft(line, blanks)
			if s != "" && s[0] != '#' && !seen[i+1] {
				t.Fatalf("line %d %q silently dropped", i+1, line)
			}
		}
	})
}
