package sarif

// The SARIF 2.1.0 objects vouch writes: only the properties it fills, named
// and nested as the OASIS schema has them.

// Log is a sarifLog: the whole file.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one run of one tool.
type Run struct {
	Tool        Tool         `json:"tool"`
	Invocations []Invocation `json:"invocations"`
	Results     []Result     `json:"results"`
}

// Tool names the driver, vouch.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is vouch as a toolComponent, with the rules its results cite.
type Driver struct {
	Name            string `json:"name"`
	Version         string `json:"version,omitempty"`
	SemanticVersion string `json:"semanticVersion,omitempty"`
	InformationURI  string `json:"informationUri,omitempty"`
	Rules           []Rule `json:"rules"`
}

// Rule is a reportingDescriptor: one rule id.
type Rule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     Message        `json:"shortDescription"`
	FullDescription      Message        `json:"fullDescription"`
	Help                 Message        `json:"help"`
	DefaultConfiguration Configuration  `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

// Configuration is a reportingConfiguration.
type Configuration struct {
	Level string `json:"level"`
}

// Message is a multiformatMessageString or a message: plain text, with
// Markdown where a viewer can render it.
type Message struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// Invocation records how the run went, including results left out.
type Invocation struct {
	ExecutionSuccessful        bool           `json:"executionSuccessful"`
	ToolExecutionNotifications []Notification `json:"toolExecutionNotifications,omitempty"`
}

// Notification is one thing the tool reports about its own run.
type Notification struct {
	Descriptor *DescriptorRef `json:"descriptor,omitempty"`
	Level      string         `json:"level"`
	Message    Message        `json:"message"`
}

// DescriptorRef is a reportingDescriptorReference by id.
type DescriptorRef struct {
	ID string `json:"id"`
}

// Result is one finding.
type Result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             Message           `json:"message"`
	Locations           []Location        `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

// Location is a location with its physical part only.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
}

// PhysicalLocation is a file and a line range in it.
type PhysicalLocation struct {
	ArtifactLocation ArtifactURI `json:"artifactLocation"`
	Region           *Region     `json:"region,omitempty"`
}

// ArtifactURI is an artifactLocation: a URI reference, relative to a base.
type ArtifactURI struct {
	URI       string `json:"uri,omitempty"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a 1-based line range.
type Region struct {
	StartLine int `json:"startLine"`
	EndLine   int `json:"endLine,omitempty"`
}
