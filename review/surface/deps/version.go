package deps

import (
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

// compareSpecs orders two requirements as written (-1: a is older than b).
// It only answers when both use the same operator, so "^1.2" against
// "~1.3" is reported as a change, not guessed as an upgrade.
func compareSpecs(a, b string) (int, bool) {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	opA, va := splitOperator(a)
	opB, vb := splitOperator(b)
	if opA == "==" {
		opA = ""
	}
	if opB == "==" {
		opB = ""
	}
	if opA != opB && !(opA == "" && floorOp(opB) || opB == "" && floorOp(opA) || floorOp(opA) && floorOp(opB)) {
		return 0, false
	}
	return compareVersions(va, vb)
}

// rangeKind is a requirement's operator, "" for an exact version.
func rangeKind(spec string) string {
	op, _ := splitOperator(strings.TrimSpace(spec))
	if op == "==" {
		return ""
	}
	return op
}

// floorOp is a requirement whose version is its floor (^1.2, ~1.2, >=1.2,
// ~=1.2, ~>1.2), which compares with an exact version or another floor:
// "9.0.1" → "^11.1.1" and "^5.4.2" → "~5.9.3" raise the floor, an
// upgrade; "^2.3.0" → "2.3.0" keeps it.
func floorOp(op string) bool {
	switch op {
	case "", "^", "~", ">=", "~=", "~>":
		return true
	}
	return false
}

func splitOperator(s string) (op, v string) {
	i := 0
	for i < len(s) && strings.IndexByte("=^~<>! ", s[i]) >= 0 {
		i++
	}
	return strings.ReplaceAll(s[:i], " ", ""), strings.TrimSpace(s[i:])
}

// prereleaseLabels are the words that make "1.0-rc1" older than "1.0"; any
// other suffix ("-alpine", "-bookworm") is a variant, not an order.
var prereleaseLabels = []string{"alpha", "beta", "rc", "pre", "dev", "preview", "snapshot", "canary", "next", "a", "b", "m", "cr"}

// compareVersions is a semver-ish numeric comparison: Go module versions go
// to x/mod/semver (pseudo-versions included); others compare their numeric
// release parts, then a known pre-release label. ok is false when the two
// cannot be ordered honestly.
func compareVersions(a, b string) (int, bool) {
	if a == b {
		return 0, true
	}
	if semver.IsValid(a) && semver.IsValid(b) {
		return semver.Compare(a, b), true
	}
	ra, pa, okA := splitRelease(a)
	rb, pb, okB := splitRelease(b)
	if !okA || !okB || strings.ContainsAny(a+b, " ,|*") {
		return 0, false
	}
	for i := 0; i < len(ra) || i < len(rb); i++ {
		var x, y int
		if i < len(ra) {
			x = ra[i]
		}
		if i < len(rb) {
			y = rb[i]
		}
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	switch {
	case pa == pb:
		return 0, true
	case pa == "" && isPrerelease(pb):
		return 1, true
	case pb == "" && isPrerelease(pa):
		return -1, true
	case isPrerelease(pa) && isPrerelease(pb):
		return comparePrerelease(pa, pb), true
	}
	return 0, false
}

// splitRelease splits "v1.22.3-rc.1+meta" into [1 22 3] and "rc.1", and
// python's "2.0.0rc1" into [2 0 0] and "rc1".
func splitRelease(v string) ([]int, string, bool) {
	v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V"), "go")
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i]
	}
	if v == "" || v[0] < '0' || v[0] > '9' {
		return nil, "", false
	}
	var nums []int
	rest := v
	for rest != "" {
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j == 0 {
			break
		}
		n, err := strconv.Atoi(rest[:j])
		if err != nil {
			return nil, "", false
		}
		nums = append(nums, n)
		rest = rest[j:]
		if len(rest) > 1 && rest[0] == '.' && rest[1] >= '0' && rest[1] <= '9' {
			rest = rest[1:]
			continue
		}
		break
	}
	rest = strings.TrimLeft(rest, "-._")
	return nums, strings.ToLower(rest), true
}

func isPrerelease(p string) bool {
	for _, l := range prereleaseLabels {
		if strings.HasPrefix(p, l) {
			tail := p[len(l):]
			if tail == "" || tail[0] == '.' || tail[0] == '-' || (tail[0] >= '0' && tail[0] <= '9') {
				return true
			}
		}
	}
	return false
}

// comparePrerelease compares dot- or dash-separated identifiers, numbers
// numerically, words as text (semver's rule).
func comparePrerelease(a, b string) int {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' })
	}
	xa, xb := split(a), split(b)
	for i := 0; i < len(xa) && i < len(xb); i++ {
		na, errA := strconv.Atoi(xa[i])
		nb, errB := strconv.Atoi(xb[i])
		switch {
		case errA == nil && errB == nil:
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
		case xa[i] != xb[i]:
			return strings.Compare(xa[i], xb[i])
		}
	}
	switch {
	case len(xa) < len(xb):
		return -1
	case len(xa) > len(xb):
		return 1
	}
	return 0
}

// bounds are a comma-separated requirement's floor and ceiling
// (">=0.3.0,<0.4.0"); an exclusion (!=) bounds nothing.
func bounds(spec string) (floor, ceiling string, ok bool) {
	if !strings.Contains(spec, ",") {
		return "", "", false
	}
	for _, c := range strings.Split(spec, ",") {
		op, v := splitOperator(strings.TrimSpace(c))
		switch op {
		case ">=", ">", "~=", "==":
			floor = v
		case "<", "<=":
			ceiling = v
		case "!=":
		default:
			return "", "", false
		}
	}
	return floor, ceiling, floor != ""
}

// raisesRange reports a bounded range whose floor rises and whose
// ceiling stays or rises with it (">=0.3.0,<0.4.0" → ">=0.4.0,<0.5.0",
// ">=0.2.8,<0.4.0" → ">=0.3.0,<0.4.0"): an upgrade. A ceiling taken away
// is not: any later version may arrive.
func raisesRange(before, after string) bool {
	fb, cb, okb := bounds(before)
	if !okb {
		return false
	}
	fa, ca := fb, cb
	if f, c, ok := bounds(after); ok {
		fa, ca = f, c
	} else if op, v := splitOperator(strings.TrimSpace(after)); op == ">=" || op == "~=" {
		fa, ca = v, ""
	} else {
		return false
	}
	if (cb == "") != (ca == "") {
		return false
	}
	cmpF, ok := compareVersions(fb, fa)
	if !ok || cmpF >= 0 {
		return false
	}
	if cb == "" {
		return true
	}
	cmpC, ok := compareVersions(cb, ca)
	return ok && cmpC <= 0
}
