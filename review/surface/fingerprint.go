package surface

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Fingerprint identifies a finding by what it is rather than where: its
// rule, file, side and whitespace-normalized evidence (the message when
// there is no evidence), so re-scans, rebases and edits elsewhere in the file
// keep it. It is the base of Finding.Fingerprint and of SARIF's
// partialFingerprints; NumberFingerprints appends ":N" to tell apart the Nth
// identical finding of a commit.
func Fingerprint(f Finding) string {
	what := f.Evidence
	if strings.TrimSpace(what) == "" {
		what = f.Message
	}
	side := cmp.Or(f.Side, SideNew)
	h := sha256.New()
	for _, part := range []string{f.Rule, f.File, side, strings.Join(strings.Fields(what), " ")} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// NumberFingerprints sets the Fingerprint of each of one commit's findings:
// Fingerprint(f) and ":N" for the Nth finding with that identity, in order.
func NumberFingerprints(fs []Finding) {
	seen := map[string]int{}
	for i := range fs {
		fp := Fingerprint(fs[i])
		seen[fp]++
		fs[i].Fingerprint = fp + ":" + strconv.Itoa(seen[fp])
	}
}
