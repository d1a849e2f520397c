package review

import (
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/deps"
	"github.com/vouch-review/vouch/review/surface/golang"
	"github.com/vouch-review/vouch/review/surface/hidden"
	"github.com/vouch-review/vouch/review/surface/infra"
	"github.com/vouch-review/vouch/review/surface/lang"
	"github.com/vouch-review/vouch/review/surface/secrets"
)

// builtinDetectors are the detector families shipped with vouch. The secret
// detector builds gitleaks' rules on its first use, not here.
func builtinDetectors() []surface.Detector {
	return []surface.Detector{deps.New(), golang.New(), lang.New(), infra.New(), secrets.New(), hidden.New(), surface.TrustDetector{}, surface.PolicyFileDetector{}, surface.AgentConfigDetector{}, surface.CommandLineDetector{}}
}
