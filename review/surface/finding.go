// Package surface finds the hunks of a commit that change the application's
// attack surface.
package surface

// Finding is one surface change, in SPEC.md's terms.
type Finding struct {
	Category string `json:"category"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"` // low, medium, high, critical
	// Confidence says how sure the detector is that the construct is what
	// the rule names: high when a parser resolved it (an import, a manifest
	// entry), medium when a pattern matched code, low for a guess from
	// names, so that a reader can mute guesses.
	Confidence string `json:"confidence"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	EndLine    int    `json:"end_line"`
	Side       string `json:"side"` // "new", or "old" for a removal
	Evidence   string `json:"evidence"`
	Message    string `json:"message"`
	// Fingerprint is stable across re-scans and rebases (Fingerprint and
	// ":N" among identical findings of the commit); SARIF's
	// partialFingerprints carry the same value.
	Fingerprint string `json:"fingerprint"`

	// Package names a dependency finding's component, purl-like
	// ("pkg:golang/github.com/go-chi/chi/v5@v5.2.1", "pkg:npm/left-pad@1.3.0"),
	// so that policy can deny packages.
	Package string `json:"package,omitempty"`
	// Packages are the other components a folded finding stands for (the
	// rest of a regenerated lockfile, a scope's packages, a new manifest's
	// list): policy reads each of them as it reads Package.
	Packages []string `json:"packages,omitempty"`
	// Token is a literal that marks this kind of change in source (a call
	// such as "exec.Command", a host such as "api.stripe.com"). When the
	// repository held no such token before the commit, the finding is the
	// first of its kind.
	Token string `json:"-"`
	// Callee names the function a removed call called ("sanitize.Sanitize"),
	// so that a call the commit adds again in another file reads as moved.
	Callee      string `json:"-"`
	FirstOfKind bool   `json:"first_of_kind,omitempty"`
}
