package surface_test

import (
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/golang"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestScanFingerprints: every finding of a scan has a fingerprint; moving
// the code down the file (a rebase onto a commit that adds lines above it)
// keeps it, and two findings of one rule are told apart (identical ones
// in one file fold into one).
func TestScanFingerprints(t *testing.T) {
	code := "package main\n\nimport \"os/exec\"\n\nfunc run(s string) {\n\texec.Command(\"sh\", \"-c\", s).Run()\n}\n\nfunc again(s string) {\n\texec.Command(\"bash\", \"-c\", s).Run()\n}\n"
	shifted := strings.Replace(code, "import \"os/exec\"\n", "import \"os/exec\"\n\n// added upstream\nvar _ = 1\n", 1)
	scan := func(after string) []surface.Finding {
		cs := surfacetest.Changes(t, map[string][2]string{"main.go": {surfacetest.Absent, after}})
		return surface.NewScanner(golang.New()).Scan(cs)
	}
	a, b := scan(code), scan(shifted)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("got %d and %d findings, want 2 each", len(a), len(b))
	}
	if a[0].Fingerprint == "" || a[0].Fingerprint == a[1].Fingerprint {
		t.Errorf("fingerprints %q and %q", a[0].Fingerprint, a[1].Fingerprint)
	}
	for i := range a {
		if a[i].Line == b[i].Line || a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("finding %d at line %d then %d: fingerprint %q then %q", i, a[i].Line, b[i].Line, a[i].Fingerprint, b[i].Fingerprint)
		}
	}
}
