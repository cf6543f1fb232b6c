/**
 * The matcher's domain thesaurus: how security questionnaires (CSA CAIQ, Shared Assessments SIG,
 * G-Cloud and public-sector supplier questionnaires, ISO/IEC 27001 Annex A control names) word
 * the things the Cloud Security Principles are about. Three parts:
 *
 * - PHRASES: multi-word expressions folded onto one concept term before the text is split into
 *   words ("data at rest", "background check", "single sign-on"), so a phrase counts as one
 *   distinctive term and its words do not each drift towards other answers;
 * - SYNONYMS: single words (after stemming) that mean the same thing here;
 * - VOCABULARY: for each principle, by title, the terms a buyer uses for it that the principle's
 *   own title and requirement do not contain. It is indexed as one more field of the principle,
 *   so a buyer's word for a principle finds it even when the provider's answer never uses it.
 *
 * Written from the field's vocabulary, not from any evaluation question. Everything is plain
 * data: the matcher stays deterministic and offline.
 */

/** [pattern over folded text, concept term]. Applied in order, longest expressions first. */
export const PHRASES: [RegExp, string][] = [
  // First, wordings whose words the general rules below would take apart: encrypted backups
  // are data at rest (not resilience), training in secure coding is development (not culture).
  [
    /\b((backups?|replicas?|snapshots?|databases?|disks?|volumes?|storage|files)( [\w-]+){0,3} (are |is |be )?encrypted)\b/g,
    ' atrest ',
  ],
  [
    /\b(secure coding training|training (in|on) secure (coding|development)|(developers?|engineers|programmers|staff) (are |is )?trained (in|on) (writing )?secure (code|coding|development)|trained in secure (code|coding|development))\b/g,
    ' develop ',
  ],
  // Control-framework boilerplate ("in line with applicable laws", "at planned intervals or when
  // significant changes occur") says nothing about which control is asked about.
  [
    /\b((in (line|accordance) with|as permitted by|where permitted by|consistent with|in compliance with) (all |any )?(applicable |relevant |local )?(laws?|legislation|regulations?)( and (regulations|legislation|contractual obligations))?|applicable (laws?|legislation|regulations?)|(at planned intervals|periodically)( or (when|if|upon) (significant |major |material )?changes (occur|happen))?|when (significant |major |material )changes (occur|happen))\b/g,
    ' ',
  ],
  [
    /\b((in|within) (the )?(uk|eea|eu|united kingdom|european|british|english) (based )?data[\s-]?cent(re|er)s?|(uk|eea|eu)[\s-]based data[\s-]?cent(re|er)s?|legal system|governing law|governed by (the )?laws?|which laws?)\b/g,
    ' location ',
  ],
  [
    /\b(security (personnel|officers|patrols)|manned guarding|staffed (by|with) security|(computer|comms|communications|equipment|network equipment) rooms?)\b/g,
    ' datacentre ',
  ],
  [
    /\b(employment history|when hiring|(identity|id) (checks?|verification) (of|for|on) (staff|employees|candidates|new (staff|starters|employees)))\b/g,
    ' vetting ',
  ],
  [
    /\b(permanent access|standing access|only when (it is )?needed|on[\s-]demand access|without (approval|a second (person|approval)|oversight|authori[sz]ation))\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(compan(y|ies) that (host|run|provide|operate|supply)|(host|run|provide|operate)s? parts of the service|(suppliers?|vendors?|subcontractors?|partners)( are| be)? (certified|accredited))\b/g,
    ' supplychain ',
  ],
  [
    /\b((an? |one |single )?(administrators?|engineers?|admins?|staff|operators?|employees?) (can |could |is able to |are able to )?(delete|change|modify|alter|export|copy)\w* (customer |our |the )?data)\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(reset\w* (the )?passwords? (for|of) (our |their )?users|password resets? for (our )?users)\b/g,
    ' useraccount ',
  ],
  [/\b(logs? of (the )?changes)\b/g, ' auditlog '],
  [
    /\b(keys (that )?(protect\w*|encrypt\w*|used (to|for) (protect|encrypt)\w*)( our| the)? (data|information|files|storage)|keys? (are |is )?(changed|rotated|replaced|renewed))\b/g,
    ' keymanagement ',
  ],
  [
    /\b(analys\w* (\w+ ){0,2}for threats|(inspect|analys|monitor)\w* (the )?(network )?traffic|traffic (analysis|inspection|monitoring))\b/g,
    ' monitor ',
  ],
  [
    /\b((engineer|administrator|admin|staff member|employee)s? (changes?|moves?|changing|moving) (team|role|job|department)s?)\b/g,
    ' privilegedaccess ',
  ],
  [/\b(logs? of (api )?(calls|requests)|api (call |request )?logs?)\b/g, ' auditlog '],
  [
    /\b((see|view|report\w*|list|show)( the| all| any)? failed (sign[\s-]?in|log[\s-]?in|login|log[\s-]?on) attempts)\b/g,
    ' auditlog ',
  ],
  [/\b(in[\s-]house or outsourced|outsourced or in[\s-]house)\b/g, ' '],
  [
    /\b((security |configuration |security configuration )reviews? of (our|the customer's|a customer's) (setup|set[\s-]up|configuration|account|tenancy|environment|deployment))\b/g,
    ' guide ',
  ],
  [/\b((candidates|applicants) for (employment|roles?|jobs?|posts?))\b/g, ' staff vetting '],
  // Logins recorded for the customer to see are audit information, not authentication; the
  // customer subscribing to advisories is a security alert; an authenticated scan is
  // vulnerability scanning; the customer's own premises are not the data centre.
  [
    /\b((record|log|keep|store)\w* (of |all )?(the )?(logins?|log[\s-]?ons?|sign[\s-]?ins?)|(logins?|log[\s-]?ons?|sign[\s-]?ins?) (are |is )?(recorded|logged|kept|stored|history|records?|logs?)|logs? of (our |the )?(users'?|user|customers?'?|administrators?'?|admins?'?) (activity|actions)|(our |the )?(users'?|user) (activity|actions))\b/g,
    ' auditlog ',
  ],
  [
    /\b((can|may|could) (we|customers|our (team|staff|administrators)) (subscribe|sign up|register)\w*(( to| for)( (your|the|its|any))?( security)?( (advisories|alerts|bulletins|notifications|mailing lists?|updates|newsletters?))?)?|subscribe to (your|the service's) )/g,
    ' alert ',
  ],
  [
    /\b(authenticated (scans?|scanning|vulnerability scan\w*)|credentiall?ed scan\w*)\b/g,
    ' vulnerability ',
  ],
  [/\b(on[\s-]prem(ise|ises)?)\b/g, ' onprem '],
  [
    /\b((security |event |system |infrastructure )?logs? (from|of) (your|the) (infrastructure|platform|systems|servers|network)|analys\w* (of )?(the )?(security )?logs|logs? (are |is )?analys\w*)\b/g,
    ' monitor ',
  ],
  [
    /\b(only the access (they|that they|he|she) (need|needs|require)|(the )?access (they|that they) need|minimum (necessary )?access|least access)\b/g,
    ' privilegedaccess ',
  ],
  [/\b(genuine|impersonat\w*|really (is|comes) from|pretend\w* to be)\b/g, ' supportchannel '],
  [
    /\b((information |security |cyber )*risks? (are |is )?(identified|assessed|recorded|treated|managed|owned|reviewed))\b/g,
    ' governance ',
  ],
  [
    /\b(geographic(al)?(ly)? (separate|separated|diverse|distributed|dispersed|distinct|apart)|geo[\s-]?(redundan\w*|replicat\w*|diverse))\b/g,
    ' resilience site ',
  ],
  // Everyday ways of asking (a buyer rarely writes the control's name), taken before their
  // words drift: a stolen tape is data at rest, people on the internet are the interface, ...
  [
    /\b((stole|steal|steals|stolen|theft of|lost|lose|loses)( a| an| the| our| your)?( backup)? (tapes?|drives?|disks?|backups?|media|laptops?))\b/g,
    ' atrest ',
  ],
  [
    /\b((people|anyone|someone|outsiders|strangers|attackers|hackers) (on|from|over|across) the internet|directly from the internet)\b/g,
    ' interface ',
  ],
  [
    /\b(listen\w* (in )?(on|to) (the )?(network|traffic|connections?|line)|sniff\w*|snoop\w*)\b/g,
    ' transit ',
  ],
  [
    /\b(walk\w* (off|away|out) with|steal\w* (a |the )?(servers?|hardware|equipment))\b/g,
    ' datacentre ',
  ],
  [
    /\b(after (we|you) cancel|cancel\w* (our |the )?(subscription|account|contract|service)|when we (leave|cancel|terminate|stop using)|copies of (our|the) (files|records|information))\b/g,
    ' disposal ',
  ],
  [
    /\b((response|respond\w*) (to|when|if) (a |an )?(cyber )?(attack|breach|compromise)|when (a |an )?(cyber )?attack (happens|occurs)|(attack|breach) happens)\b/g,
    ' incident ',
  ],
  [
    /\b((every|all|each) (systems?|components?|servers?) (that )?(make|makes) up|what versions? (it|they|each) runs?)\b/g,
    ' changemanagement ',
  ],
  [
    /\b(touch\w* (a |the )?customer'?s? (systems?|data|environments?)|before (accessing|touching|logging into) (a |the )?customer|commands (run|executed|typed|entered)|keystrokes?)\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(suppliers? (have to |must |are required to |are obliged to )?(tell|notify|inform|report to))\b/g,
    ' supplychain ',
  ],
  [
    /\b((history|records?|logs?|lists?) of (sign[\s-]?ins?|logins?|log[\s-]?ons?))\b/g,
    ' auditlog ',
  ],
  [/\b(without changing anything|settings (customers|you|we|users) get)\b/g, ' securedefault '],
  [/\b(guides? (to|for|on) (hardening|configur\w*|securing|secure configuration))\b/g, ' guide '],
  [
    /\b((tell|inform|notify|warn)\w* (us|customers)( about| of)? (a |any )?(critical |new |serious |urgent )?(vulnerabilit\w*|security (issues|problems|flaws))|we (need|have) to act on|action (required|needed) (by|from) (us|customers))\b/g,
    ' alert ',
  ],
  [/\b(subject to (the )?([\w-]+ )?(law|laws|jurisdiction))\b/g, ' location '],
  [
    /\b(session hijack\w*|hijack\w*|public wi[\s-]?fi|wi[\s-]?fi|untrusted networks?)\b/g,
    ' transit ',
  ],
  [
    /\b((one|a|any) (customer|tenant|client) ([\w'-]+ ){0,4}(another|other)('s)?( (customer|tenant|client)s?'?s?)?|another (customer|tenant|client)'?s?)\b/g,
    ' tenancy ',
  ],
  [
    /\b((master|root|key[\s-]encryption|data[\s-]encryption) keys?|keys that protect( our)? data)\b/g,
    ' keymanagement ',
  ],
  [
    /\b((separate|dedicated|own|shared) (database )?(instances?|schemas?|databases?|tables))\b/g,
    ' tenancy ',
  ],
  [
    /\b(responsible (day[\s-]to[\s-]day |overall |ultimately )?for (information |cyber )?security)\b/g,
    ' governance ',
  ],
  [
    /\b(who (watches|monitors|reviews|looks at|responds to|handles)|security alerts (from|raised by|generated by) (your|the) (systems|tools|platform|infrastructure))\b/g,
    ' monitor ',
  ],
  [/\b(infrastructure changes|changes to (the )?infrastructure)\b/g, ' changemanagement '],
  [
    /\b(google (workspace|accounts?|sign[\s-]?in)|microsoft (365|accounts?)|social log[\s-]?ins?)\b/g,
    ' federation ',
  ],
  [
    /\b(one[\s-]time (codes?|passwords?|passcodes?|pins?)|otps?|(sms|text|email) (codes?|passcodes?)|verification codes?|security codes?)\b/g,
    ' mfa ',
  ],
  [/\b(content delivery networks?|cdns?)\b/g, ' interface '],
  [
    /\b((reach\w*|reachable|accessible|exposed|available) (from|to|on|over) the (public )?internet|public internet)\b/g,
    ' interface ',
  ],
  [/\b(events (about|in|on|for|relating to) our (account|tenancy|service|users))\b/g, ' auditlog '],
  [
    /\b((environments?|accounts?|servers?|services?|tenanc(y|ies)) (are |is )?locked[\s-]down|locked[\s-]down (before|from the start|by default))\b/g,
    ' securedefault ',
  ],
  [/\b(new suppliers?|before signing (a |the )?contract)\b/g, ' supplychain '],
  [
    /\b((application|software|product|system) security requirements|security requirements (are )?(part of|built into|in) the design|design of (new )?(features|systems|services|products))\b/g,
    ' develop ',
  ],
  [
    /\b((administration|administrators?|admin rights) (of|for|to|on) our (account|tenancy|organi[sz]ation|users)|our (account|tenancy)'?s? administrators?)\b/g,
    ' useraccount ',
  ],
  [
    /\b(vulnerable (dependencies|libraries|packages|components)|secrets? (scanning|detection)|scan\w* (your |the |our )?(source )?code)\b/g,
    ' develop ',
  ],
  [
    /\b((tell|notify|inform|warn)\w* (us|customers) (if|when|about) (a |an |any )?(foreign |overseas |government |law enforcement |legal |court))/g,
    ' location ',
  ],
  // Networks kept apart from other networks: the network's question, not customers' separation.
  [
    /\b((kept apart|separated?|segregated|isolated) from (the |other |our |your |all )?(corporate |office |business |other )?networks?)\b/g,
    ' ',
  ],
  [
    /\b(courts? order\w*|ordered (you |us )?to (hand over|disclose|provide|release)|hand(ing)? over (our |the |customer )?data)\b/g,
    ' location ',
  ],
  [
    /\b((hold|keep|manage|control|own)\w* (the |our )?(encryption )?keys( for [\w ]{1,20})? ourselves|keys (that )?(we|customers) (hold|control|manage))\b/g,
    ' keymanagement ',
  ],
  [
    /\b((automatic |automated )?(alerts?|alarms?) (for|on|about|when|if) (brute[\s-]force|failed|suspicious|unusual|repeated|anomal\w*|malicious))\b/g,
    ' monitor ',
  ],
  [
    /\b((choose|decide|control|restrict|limit|set) who (in our (organi[sz]ation|team|company) )?can)\b/g,
    ' useraccount ',
  ],
  [
    /\b((administration|management|admin) networks?|networks? (used )?for administration)\b/g,
    ' admindevice ',
  ],
  [/\b((give|send|provide|share)\w* (us|customers) (with )?(the )?logs?)\b/g, ' auditlog '],
  [/\b((security )?notices? pages?|security notices|status pages?)\b/g, ' alert '],
  [
    /\b((block|restrict|filter|limit|allow)\w* (access|traffic|connections|requests|log[\s-]?ins) (from|by) (certain |some |specific |other |particular |high[\s-]risk )?(countries|locations|regions|ip addresses|ips|networks)|geo[\s-]?(block\w*|fenc\w*|ip\w*|restrict\w*)|ip (allow|deny|block)[\s-]?lists?|ip whitelist\w*)\b/g,
    ' interface ',
  ],
  [
    /\b((administration|admin\w*|management)( [\w-]+){0,4} (over|via|through|using) (a |an )?vpns?)\b/g,
    ' admindevice ',
  ],
  [
    /\b((informed|notified|told|warned|alerted) (of|about) (new |any )?(vulnerabilit\w*|security (issues|problems|flaws|updates)))\b/g,
    ' alert ',
  ],
  [/\b(malicious (code|software|files|programs))\b/g, ' monitor '],
  [
    /\b((?<!user and )admin(istrator)?s?'? activit(y|ies)(?! logs?)|activit(y|ies) (of|by) (your )?(administrators|admins|engineers|privileged users))\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b((protected|protect\w*|safe) (from|against) (modification|tampering|alteration|deletion)|tamper[\s-]?(proof|evident|resistant)|tamper\w*|immutable logs?)\b/g,
    ' integrity ',
  ],
  [
    /\b((secure|secured|dedicated|separate|isolated) management (channels?|networks?|planes?|connections?)|management (channels?|planes?))\b/g,
    ' admindevice ',
  ],
  // "Location" alone is a place, not a jurisdiction: only where data is kept (data, hosting or
  // storage locations; which location) is about its location; a separate or second location
  // is resilience; any other location is just a site.
  [
    /\b((data|hosting|storage|processing|geographic(al)?|physical|server) locations?|locations? (of|for) (our |the |your |customer )?(data|information|records|servers|hosting)|(which|what) locations?|locations? (where|in which))\b/g,
    ' location ',
  ],
  [
    /\b((separate|different|second|secondary|another|alternative|alternate|remote|multiple|several|other|two|three) (physical |geographic(al)? )?(locations|location|sites?)|more than one (location|site))\b/g,
    ' resilience site ',
  ],
  [/\blocations?\b/g, ' site '],
  // Encryption: where the data is decides the principle.
  [
    /\b(at[\s-]rest|stored (data|information)|data (is |that is )?stored|in storage|on (the )?disks?|(full[\s-])?disk encryption|storage encryption|database encryption|volume encryption|encrypted (disks?|volumes?|storage|backups?|databases?))\b/g,
    ' atrest ',
  ],
  [
    /\b(in[\s-]transit|in[\s-]flight|on the wire|over the (network|internet|wire)|over (public|untrusted) networks?|between (the |your |our |its )?(data cent(re|er)s|sites|regions|zones|offices|locations)|communications? (with|to|between|from)|man[\s-]in[\s-]the[\s-]middle|eavesdrop\w*|intercept\w*|cipher suites?|tls versions?|secure (channel|transfer|file transfer)s?|sftp|ftps|hsts|vpns?)\b/g,
    ' transit ',
  ],
  [
    /\b(keys? management|encryption keys?|cryptographic keys?|key rotation|rotat\w* keys?|hardware security modules?|hsms?|kms|byok|bring your own keys?|own (encryption )?keys?|customer[\s-]managed keys?|fips[\s-]?140(-\d)?)\b/g,
    ' keymanagement ',
  ],
  // A key's lifecycle (generation, storage, rotation, destruction) is key management, not disposal.
  [
    /(?<=\bkeymanagement\b[^\0.?]{0,120})\b(destruction|destroy\w*|deletion|storage|stored|changed|changes|change|replaced)\b/g,
    ' ',
  ],
  [/\b(tls|ssl|digital|server|x\.?509) certificates?\b/g, ' transit '],
  [/\b(tls|ssl|https|hsts)( ?v?\d(\.\d)?)?\b/g, ' transit encrypt '],
  // Authentication and accounts.
  [
    /\b(access (rights|reviews?|levels?) (of|for) (your|our) (own )?(staff|employees|engineers|administrators)|(your|our) (own )?(staff|employees|engineers)('s)? access( rights)?)\b/g,
    ' privilegedaccess ',
  ],
  [/\b(two|2|multi|multiple)[\s-]?(factor|step)\b|\b2fa\b|\bstrong authentication\b/g, ' mfa '],
  [
    /\b(single sign[\s-]?on|sso|saml|oidc|openid( connect)?|federat\w*|identity providers?|idps?|azure (ad|active directory)|entra( id)?|active directory|okta|ldap)\b/g,
    ' federation ',
  ],
  [
    /\b(password (policy|complexity|length|rules|strength)|complex passwords?|accounts? lock\w*|accounts? (are |is )?locked|lock(ed|s)? out|lockout|failed (login|logon|sign[\s-]?in) attempts?|brute[\s-]force)\b/g,
    ' passwordpolicy ',
  ],
  [/\bsign[\s-]?(in|on)\b|\blog[\s-]?(in|on)s?\b/g, ' authenticate '],
  [
    /\b(user (accounts?|management|administration|provisioning|access management|roles?)|user provisioning|de[\s-]?provision\w*|joiners?,? movers?( and)? leavers?|access rights|role[\s-]based( access( control)?)?|rbac)\b/g,
    ' useraccount ',
  ],
  [
    /\b(service desk|help[\s-]?desk|support (desk|team|calls?|requests?|channels?|tickets?)|calls? (for|to) support|caller|social engineering)\b/g,
    ' supportchannel ',
  ],
  // Privileged access and administration.
  [
    /\b(privileged access workstations?|paws?|jump (hosts?|box(es)?|servers?)|bastions?( hosts?)?|management (network|devices?|workstations?)|admin(istrat\w*)? (devices?|workstations?|laptops?)|remote administration|out[\s-]of[\s-]band|personal devices?|byod|bring your own device|end[\s-]user devices?)\b/g,
    ' admindevice ',
  ],
  [
    /\b(least privilege|need[\s-]to[\s-]know|separation of duties|segregation of duties|four[\s-]eyes|two[\s-]person|just[\s-]in[\s-]time|privileged access management|pam|break[\s-]glass|session recording|privileged (accounts?|access|users?)|access (rights|reviews?) of (your|our) (own )?(staff|employees|engineers)|(staff|employee|engineer)s?'? access|access reviews?|admin(istrat\w*)? (access|accounts?|rights)|administrator (access|accounts?|rights))\b/g,
    ' privilegedaccess ',
  ],
  // Power and losing a site are resilience, even when the question names the data centre.
  [
    /\b((loss|failure|outage|unavailability|destruction) of (a|an|one|the|any|our|your) (single |whole |entire |primary |main )?(sites?|data[\s-]?cent(re|er)s?|regions?|zones?|availability zones?|facilit(y|ies)|locations?|halls?)|(site|data[\s-]?cent(re|er)|region|zone)[\s-](failure|outage|loss)s?|(sites?|data[\s-]?cent(re|er)s?|facilit(y|ies)) (fails?|failed|goes down|go down|is lost|are lost|los(e|es|t) power)|availability zones?|multiple (sites|regions|zones)|more than one (site|region|zone|data[\s-]?cent(re|er)))\b/g,
    ' resilience ',
  ],
  [
    /\b((backup |standby |diesel |emergency )?generators?|ups|uninterruptible power( supply| supplies)?|(redundant |backup |dual |independent |mains )?power( supply| supplies| feeds?| outages?| cuts?| failures?| loss)?|supporting utilities|utilities|cooling|hvac)\b/g,
    ' powersupply resilience ',
  ],
  [
    /\bdata[\s-]?(cent(re|er)s?|halls?)\b|\bserver (rooms?|halls?)\b|\bcolocation\b|\b(hosting |data centre )?buildings\b/g,
    ' datacentre ',
  ],
  [
    /\b(cctv|security (guards?|staff on site)|guard(s|ed|ing)?|biometric\w*|access cards?|swipe cards?|visitors?|escort\w*|perimeter fenc\w*|fenc(e|es|ing)|fire (suppression|detection)|environmental (controls?|monitoring|hazards?)|flood\w*|physical (security|access|protection|controls?)|cages?|racks?|fires?|flood\w*|environmental (threats?|risks?))\b/g,
    ' datacentre ',
  ],
  [
    /\b(data residency|data sovereignty|residency|sovereignty|jurisdictions?|outside (the )?(uk|eea|eu|united kingdom|european (union|economic area))|offshore|overseas|abroad|cross[\s-]border|international (data )?transfers?|foreign (governments?|laws?|authorit\w*)|cloud act|fisa|law enforcement|lawful (access|requests?)|government (access|requests?)|subpoenas?|court orders?|compel\w*|disclos\w* (requests?|orders?)|which countr\w*|what countr\w*|in which countr\w*|geographic\w*)\b/g,
    ' location ',
  ],
  [
    /\bunited kingdom\b|\bgreat britain\b|\bbritain\b|\beea\b|\beuropean (union|economic area)\b/g,
    ' uk ',
  ],
  // Deletion and disposal.
  [
    /\b(secure(ly)? (delet\w*|eras\w*|wip\w*|dispos\w*)|nist (sp )?800[\s-]88|800[\s-]88|degauss\w*|shred\w*|crypto(graphic)?[\s-]?(shredding|erasure|erase)|certificates? of destruction|media (destruction|disposal|sanitis\w*|sanitiz\w*)|end of (life|contract)|contract (ends?|termination|expir\w*)|(on|after|at) (exit|termination|the end of the contract)|exit (plan|strategy|arrangements?)|data return|return (of )?(our )?data|retention period|data retention|retain\w* (our|customer) data|decommission\w*)\b/g,
    ' disposal ',
  ],
  // Availability.
  [
    /\b(business continuity|disaster recovery|\bdr\b|bcp|bcdr|recovery (time|point)( objectives?)?|rto|rpo|high availability|single points? of failure|fail[\s-]?over|uptime|downtime|service levels?( agreements?)?|sla|availability (targets?|commitments?|guarantees?)|backups?|back(ed)?[\s-]up|restor\w*|second(ary)? sites?|loss of (a|the) (whole )?(site|data cent(re|er))|ups|generators?|power (supply|feeds?|outages?)|redundan\w*|outages?)\b/g,
    ' resilience ',
  ],
  // Separation.
  [
    /\b(multi[\s-]?tenan(t|cy|ts)|single[\s-]tenan(t|cy)|co[\s-]?mingl\w*|commingl\w*|(an)?other (customers?|tenants?|clients?|organi[sz]ations?|users of the (platform|service))('s)?|between (customers|tenants|clients|organi[sz]ations)|one another|each other|hypervisors?|virtuali[sz]ation|vlans?|vpcs?|logical(ly)? separat\w*|segregat\w* (between|from) (customers|tenants))\b/g,
    ' tenancy ',
  ],
  // Risk from suppliers is supply chain, not the governance of risk.
  [
    /\b((third[\s-]part(y|ies)|suppliers?|vendors?|supply chain|outsourc\w*) risks?( management| assessments?)?|(vet|vetting|screen|assess|check|audit)\w* (the |your |any )?(companies|firms|suppliers|vendors|partners|subcontractors|organi[sz]ations) (you|that you|who|that)\b)/g,
    ' supplychain ',
  ],
  // Governance.
  [
    /\b(information security management system|isms|security governance|governance framework|information security polic(y|ies)|security polic(y|ies)|senior management|board[\s-]level|the board|board members?|information risks?|responsib\w* for (information )?(security|risk)|management review|risk (management|register|assessments?|appetite|treatment)|ciso|chief (information )?security officer|cto|chief technology officer|siro|security committee|security (roles|ownership|strategy)|internal audits?|accountab\w*)\b/g,
    ' governance ',
  ],
  [
    /\b(committees?|risk owner(s|ship)?|own\w* (the )?(information )?(security )?risks?|information security roles( and responsibilities)?|roles and responsibilities for (information )?security|independent reviews? of (information )?security|security forums?)\b/g,
    ' governance ',
  ],
  [/\biso\s?\/?\s?(iec\s)?27001(:20\d\d)?\b/g, ' certif governance '],
  [/\bcyber essentials( plus)?\b|\bsoc ?2\b/g, ' certif '],
  // Operational security. Penetration testing is its own concept: buyers ask it of the
  // software (secure development), the platform (vulnerability management) and the perimeter.
  [
    /\b(pen(etration)?[\s-]?test(s|ing|ed|ers?)?|pentest\w*|ithc|it health checks?|ethical hack\w*|red[\s-]team\w*|check scheme|crest)\b/g,
    ' pentest ',
  ],
  [
    /\b(on[\s-]call|(investigat|triag|review|respond|handl|escalat|act)\w* (on |to |upon )?(all |any )?(the )?(security )?(alerts|alarms|security events|detections))\b/g,
    ' monitor ',
  ],
  // A customer taking the service's logs into its own tools is audit information, not the
  // provider's monitoring.
  [
    /\b((forward|send|sent|ship|export|stream|push|feed|ingest|integrat|pull|collect)\w* (the |your |all |our )?(platform |service |security |audit |activity |access )?(logs?|events?|audit (data|records|trails?)|log data)( data| records)? (to|into|in|from|with)( (our|my|the customer's|a customer's|customers'?))?|(our|my) (own )?(siem|soc|splunk|sentinel|log (management|analytics|store|platform|tool\w*)|security (monitoring|operations)( tool\w*| platforms?| cent(re|er))?|monitoring (tools?|platforms?|systems?)))\b/g,
    ' auditlog ',
  ],
  [
    /\b(vulnerabilit(y|ies) (scan\w*|assessments?|management)|patch(es|ing)? management|security (patches|updates|advisories)|cves?|cvss|zero[\s-]day|exploit\w*|bug bount\w*|responsible disclosure|vulnerability disclosure|threat intelligence|end[\s-]of[\s-]life software|unsupported software|weakness\w*)\b/g,
    ' vulnerability ',
  ],
  [
    /\b(security operations? cent(re|er)|socs?|siems?|intrusion detection( systems?)?|ids|edr|xdr|anomal\w*|suspicious (activity|behaviou?r)|threat (detection|hunting)|security events?|correlat\w*|24\/7 monitoring|round[\s-]the[\s-]clock monitoring|anti[\s-]?virus|anti[\s-]?malware|malware|misuse)\b/g,
    ' monitor ',
  ],
  [
    /\b(incident (response|management|handling)( plans?| process(es)?)?|security incidents?|(data|personal data|security) breach(es)?|breach notification|root cause( analysis)?|post[\s-]incident|lessons learned|tabletop( exercises?)?|forensic\w*|csirt|cert team|major incidents?)\b/g,
    ' incident ',
  ],
  [
    /\b(change (management|control|requests?|advisory board|approval)|cab|emergency changes?|release management|configuration (management|baselines?|drift|items?)|cmdb|asset (inventory|register|management|list)|inventory|infrastructure as code|build standards?|hardened standards?|hardening standards?|drift)\b/g,
    ' changemanagement ',
  ],
  // People.
  [
    /\b(background (checks?|verification|screening)|pre[\s-]employment (checks?|screening)|employment checks?|security clearances?|clearances?|bpss|baseline personnel security standard|sc clear(ed|ance)|dbs checks?|criminal records?( checks?)?|right to work|references? checks?|vetting|screening)\b/g,
    ' vetting ',
  ],
  [
    /\b(security awareness|awareness training|phishing (simulations?|tests?|exercises?)|security training|security culture|confidentiality agreements?|non[\s-]disclosure agreements?|ndas?|disciplinary (process|procedures?)|insider threats?|terms (and conditions )?of employment|acceptable use)\b/g,
    ' culture ',
  ],
  // Development.
  [
    /\b(secure (software )?development( life ?cycle)?|sdlc|s-sdlc|secure coding|coding standards?|owasp|code reviews?|peer review\w*|static (code )?analysis|sast|dast|iast|software composition analysis|sca|dependency (scanning|checks?)|threat model\w*|source code|code repositor\w*|ci\/cd|build pipelines?|development (and|&) test(ing)? environments?|test environments?|non[\s-]production|security testing)\b/g,
    ' develop ',
  ],
  // Suppliers. Third-party or open-source libraries are software components, not suppliers.
  [
    /\b((third[\s-]party|open[\s-]source|external|vendor) (software|libraries|library|components?|packages?|dependenc(y|ies)|code|modules?|frameworks?))\b/g,
    ' component ',
  ],
  [/\b(component(\s+[\w-]+){0,4}\s+(known\s+)?vulnerabilit(y|ies))\b/g, ' component develop '],
  [
    /\b((keep\w*|kept|stay\w*|remain\w*) ([\w-]+ ){0,6}up[\s-]to[\s-]date|up[\s-]to[\s-]date (operating systems?|software|libraries|packages|versions?|patch\w*))\b/g,
    ' vulnerability ',
  ],
  [
    /\b(third[\s-]part(y|ies)|fourth[\s-]part(y|ies)|sub[\s-]?(processors?|contractors?)|supply[\s-]chains?|suppliers|vendors|(supplier|vendor) (assurance|management|risk|due diligence|contracts?|audits?|security|assessments?|reviews?|onboarding)|outsourc\w*|service providers|sbom|software bill of materials)\b/g,
    ' supplychain ',
  ],
  // Interfaces.
  [
    /\b(web application firewalls?|waf|intrusion prevention( systems?)?|ips|abuse|public apis?|exposed apis?|firewalls?|denial[\s-]of[\s-]service|ddos|internet[\s-]facing|public[\s-]facing|externally facing|exposed (services?|interfaces?|ports?)|open ports?|network ports?|unused ports?|attack surface|rate limit\w*|dmz|network (perimeter|boundary|boundaries)|perimeter|boundary|gateways?)\b/g,
    ' interface ',
  ],
  // Who is told matters: the provider (you, your team) being alerted is its monitoring; the
  // customer (us) being told is a security alert. A compromised account or host is detection.
  [
    /\b((alert|warn|notify|wake)\w* (you|your (team|staff|soc|engineers|analysts|on[\s-]call\w*))|(you|your team) (be |are |get |would be )?(alerted|notified|paged)|would (you|your team) (know|notice|spot|detect|find out)|compromised (accounts?|credentials|hosts?|servers?|systems?|machines?|devices?)|account (takeover|compromise))\b/g,
    ' monitor ',
  ],
  // The customer's own space ("in our tenancy", "our account") is where things happen, not a
  // question about separation from other customers.
  [
    /\b(in|within|inside|of|to|across) (our|my) (own )?(tenancy|tenant|account|environment|subscription|workspace|instance)\b/g,
    ' ',
  ],
  // The customer's part of the work is the shared responsibility.
  [
    /\b((we|customers?|the customer|our (team|administrators|admins|it team)) (must|should|need to|have to|are expected to|are required to|are responsible for)|(our|the customer's) (own )?configuration (tasks|duties))\b/g,
    ' responsibility ',
  ],
  [
    /\b(audit (logs?|trails?|records?|information|events?)|access logs?|activity logs?|event logs?|logs? retention|retain\w* logs?|logs? (kept|stored|available)|export\w* logs?|logs? export|stream\w* logs?|our (own )?(siem|log store))\b/g,
    ' auditlog ',
  ],
  [
    /\b(security (alerts?|notifications?|bulletins?|advisories to customers)|status page|mailing list|notify (us|customers)|tell (us|customers)|inform (us|customers)|warn (us|customers))\b/g,
    ' alert ',
  ],
  // Secure use.
  [
    /\b(secure(ly)? by (design|default)|security by (design|default)|(secure|safe) defaults?|default (settings?|configurations?)|by default|out of the box|insecure (options?|configurations?|settings?)|configured securely|secure(ly)? configured|(when|once|moment) (it is |they are )?provisioned)\b/g,
    ' securedefault ',
  ],
  [
    /\b(shared responsibilit(y|ies)( model| matrix)?|responsibility (model|matrix)|customer responsibilit(y|ies)|our responsibilit(y|ies)|which (security )?controls are (our|the customer's)|hardening guides?|configuration guides?|security guid(e|es|ance)|best practice guid\w*|knowledge base|user guides?|(customer|user|product|online) documentation|documentation for customers)\b/g,
    ' responsibility guide ',
  ],
  [/\b(alert (us|customers)|let (us|customers) know)\b/g, ' alert '],
  [
    /\b((configur\w*|set(ting)? up|us(e|ing)|run(ning)?) (the service|the platform|the product|it|our (account|tenancy|environment))( [\w-]+)? (securely|safely)|secur(e|ity) configuration (checklists?|guides?|guidance)|(guidance|advice|instructions) (on|for|about) (configur\w*|set(ting)? up|harden\w*))\b/g,
    ' guide ',
  ],
  [
    /\b((named|authori[sz]ed)( named)? (personnel|staff|people|individuals|persons|employees))\b/g,
    ' authorised ',
  ],
  [
    /\b((changes|actions) (that )?(we|users|they|our users|our (team|staff|administrators)|administrators) (make|made|take|took|perform\w*)|(changes|actions) made (by|in))\b/g,
    ' useractivity ',
  ],
  [/\b((endpoint|extended|managed) detection( and response)?)\b/g, ' monitor '],
  [
    /\b((support|operations|ops|your) (staff|engineers|employees|personnel|team) (can |could |be able to |are able to )?(see|view|read|access|look at))\b/g,
    ' privilegedaccess ',
  ],
  [/\b((see|know|find out|show|check|tell us) when)\b/g, ' auditlog '],
  [
    /\b(service[\s-]to[\s-]service|east[\s-]west|internal (traffic|calls|connections|communications?))\b/g,
    ' transit ',
  ],
  [/\b((data )?processing facilit(y|ies)|hosting facilit(y|ies))\b/g, ' datacentre '],
  [
    /\b((site|data[\s-]?cent(re|er)|region|zone|facility|location)s? (is |are |becomes |become |goes |go |went )?(unavailable|offline|down|lost|destroyed|out of action))\b/g,
    ' resilience ',
  ],
  [
    /\b((security )?(fixes|patches|updates) (from|issued by|released by) (the |your |our )?(vendors?|suppliers?|manufacturers?)|security fixes)\b/g,
    ' vulnerability ',
  ],
  [
    /\b(security operations (team|staff|analysts)|soc team|day and night|night and day)\b/g,
    ' monitor ',
  ],
  [
    /\b(second person|another person|second (engineer|administrator|operator|pair of eyes)|approved by (a |an )?(second|another|other))\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b((cloud|hosting|infrastructure|iaas|paas|platform) (hosting )?providers?)\b/g,
    ' supplychain ',
  ],
  [/\b((see|change|manage|control|choose|decide) (and change )?which users)\b/g, ' useraccount '],
  [/\b(default (passwords?|credentials|accounts?|admin\w* accounts?))\b/g, ' securedefault '],
  [
    /\b((notification|notify\w*|inform\w*|tell\w*|warn\w*) (of|about) (new )?(security )?(vulnerabilit\w*|issues|problems|threats|flaws))\b/g,
    ' alert ',
  ],
  [/\b(network (devices?|equipment|appliances?|hardware))\b/g, ' networkdevice '],
  [/\b(lateral(ly)? movement|mov\w* laterally|living off the land)\b/g, ' monitor '],
  [
    /\b(stolen (hard )?(drives?|disks?|media|backups?|tapes?|servers?)|theft of (hard )?(drives?|disks?|media|backups?))\b/g,
    ' atrest ',
  ],
  [
    /\b(clos(e|es|ed|ing) (our|the|my|an?) account|account (closure|deletion)|copies of (our|the) data)\b/g,
    ' disposal ',
  ],
  [/\b(confidentiality (undertakings?|clauses?|declarations?))\b/g, ' culture '],
  [
    /\b((switched|turned) off|off by default|disabled (by default|unless)|opt[\s-]in|enabled from the start|from the start|first (provisioned|created|deployed)|(provisioned|created|deployed) for the first time)\b/g,
    ' securedefault ',
  ],
  [
    /\b(access (to|into) (customer|our) (environments?|systems?|data|servers?|accounts?|tenancies) by (your )?(support |operations )?(engineers|staff|employees|administrators|admins|personnel)|access by (your )?(own )?(support |operations )?(engineers|staff|employees|administrators|admins|personnel))\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(who (has |have )?(accessed|viewed|changed|modified|downloaded|deleted)|records? of who)\b/g,
    ' auditlog ',
  ],
  [
    /\b(bring (the service|it|everything|us) back|back (up and running|online)|major failures?)\b/g,
    ' resilience ',
  ],
  // ISO/IEC 27001:2022 Annex A control names and CSA CAIQ v4 domain names that the rules above
  // do not already fold.
  [
    /\b(information transfer( policies| procedures| agreements)?|transfer of information|secure transmission)\b/g,
    ' transit ',
  ],
  [
    /\b(cryptography,? encryption (and|&) key management|key lifecycle|key (generation|escrow|custod\w*|destruction))\b/g,
    ' keymanagement ',
  ],
  [
    /\b(secure disposal or re[\s-]?use of equipment|re[\s-]?use of (equipment|media|storage)|storage media|information deletion|removable media)\b/g,
    ' disposal ',
  ],
  [
    /\b(ict readiness|capacity (management|planning)|information backups?|redundancy of information processing facilities)\b/g,
    ' resilience ',
  ],
  [
    /\b(physical security perimeters?|physical entry|securing offices|secure areas|working in secure areas|equipment siting|physical security monitoring|cabling security|datacenter security)\b/g,
    ' datacentre ',
  ],
  [
    /\b(information security event reporting|event reporting|report\w* (of )?(security )?(events|weaknesses)|collection of evidence|evidence collection|learning from (information security )?incidents|e[\s-]?discovery|cloud forensics)\b/g,
    ' incident ',
  ],
  [
    /\b(responsibilities after (termination|change) of employment|after (termination|change) of employment|human resources security|terms of employment|employment contracts?)\b/g,
    ' culture ',
  ],
  [
    /\b(installation of software( on operational systems)?|software installation)\b/g,
    ' changemanagement ',
  ],
  [
    /\b(application security requirements|application (and|&) interface security|secure system (architecture|engineering)( principles)?|security testing in development|acceptance testing|outsourced development|test information|separation of development,? test,? (and )?production( environments)?)\b/g,
    ' develop ',
  ],
  [
    /\b(privileged utility programs?|privileged access rights|information access restriction)\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(segregation of networks|network segregation|network segmentation|security of network services|networks security)\b/g,
    ' interface tenancy ',
  ],
  [
    /\b(supplier relationships?|ict supply chain|supply chain management,? transparency)\b/g,
    ' supplychain ',
  ],
  [/\b(threat (and|&) vulnerability management)\b/g, ' vulnerability '],
  [/\b(universal endpoint management|user endpoint devices?)\b/g, ' admindevice '],
  // Everyday wording of the same things (a buyer rarely writes the control's name).
  [
    /\b(sql injection|cross[\s-]site (scripting|request forgery)|xss|csrf|owasp top (10|ten)|injection attacks?)\b/g,
    ' develop interface ',
  ],
  [
    /\b((some|all|any) of )?our (own )?(staff|employees|people|team members|workforce)\b/g,
    ' ourusers ',
  ],
  [
    /\b(read[\s-]only|access levels?|permission levels?|(create|add|disable|delete|remove)\w* (and (disable|delete|remove)\w* )?(user )?accounts)\b/g,
    ' useraccount ',
  ],
  [
    /\b((engineers?|staff|employees?|administrators?|admins?)'?s?'? (permissions|privileges|rights)|(what|as) (their|the) (job|role) (needs|requires)|job needs)\b/g,
    ' privilegedaccess ',
  ],
  [/\b((alerts|alarms) from|security tools?|analysts?|triag\w*)\b/g, ' monitor '],
  [/\b(contact (us|you|customers)|get in touch)\b/g, ' alert '],
  [/\b(security programme|overse\w*)\b/g, ' governance '],
  [/\bchecklists?\b/g, ' guide '],
  [
    /\b(transport security|secure connections?|encrypted connections?|connections? (are |is )?encrypted|data (in motion|moving)|sent over|transmi(t|ts|tted|ssion)|web sessions?|data exchang\w*|exchang\w* data|cryptographic protocols?|secure protocols?|encryption protocols?)\b/g,
    ' transit ',
  ],
  [
    /\b(nations?|territor(y|ies)|end up|leaves? the (uk|country)|held abroad|kept abroad|where (is |are |will )?(our |the )?(data|information|records) (is |are |be )?(held|hosted|located))\b/g,
    ' location ',
  ],
  [
    /\b(intruders?|break[\s-]ins?|burglar\w*|walk\w* in(to)?|unauthori[sz]ed (entry|people|persons|visitors)|locked doors?|door access)\b/g,
    ' datacentre ',
  ],
  [
    /\b(unreadable|without the (right |correct )?key|data (we )?(hold|held) (on|in) (your )?storage)\b/g,
    ' atrest ',
  ],
  [
    /\b((disks?|drives?) (fails?|failed|failure|breaks?)|failed (disks?|drives?)|faulty (disks?|drives?|equipment)|end of the (agreement|contract|service)|(agreement|contract|service) (ends?|is terminated)|leave the service|(return|give back|hand back)\w* (our|the) (data|information)|get our data back|off[\s-]?boarding|no longer (required|needed))\b/g,
    ' disposal ',
  ],
  [
    /\b(disasters?|data loss|lose (our )?data|power (cuts?|failures?|loss)|loses? power|keep running|stay (up|running|online)|interruptions?|disruptions?|(site|system) failures?|goes down|go down)\b/g,
    ' resilience ',
  ],
  [
    /\b(neighbou?r\w*|co[\s-]tenants?|kept apart|keep (us|them|customers) apart|shared (infrastructure|hardware|hosts?|servers?)|dedicated (hardware|hosts?|servers?))\b/g,
    ' tenancy ',
  ],
  [
    /\b(information security (is )?(organi[sz]ed|managed|run)|organi[sz]ation of (information )?security|security (leadership|leads?|manager|responsibilities within)|leadership|executives?|directors?|management framework|management system|security function|head of (information )?security|defined head)\b/g,
    ' governance ',
  ],
  [
    /\b((security|software|system|operating system|os|firmware) (updates|upgrades|fixes)|updates? (are |is )?applied|apply\w* (updates|fixes|patches)|hot[\s-]?fix\w*|security (issues|holes)|severity|critical (issues|fixes)|unsupported|out of support|(vendor|manufacturer)[\s-]supported|supported (software )?versions?)\b/g,
    ' vulnerability ',
  ],
  [
    /\b(watch\w*|unusual|abnormal|signs of (attack|compromise|intrusion)|malicious activity|out of hours|outside (office|working|business) hours|24x7|24\/7|around the clock|round the clock|spot\w* (attacks|intrusions|threats))\b/g,
    ' monitor ',
  ],
  [
    /\b(hack(ed|s|ing)?|crisis|playbooks?|run[\s-]?books?|rehears\w*|drills?|cyber attacks? response|respond\w* to (a |an )?(attack|cyber attack|compromise))\b/g,
    ' incident ',
  ],
  [
    /\b(modif(y|ies|ied|ication|ications)|alterations?|what is running|system components|(hardware|software|service|platform) components|(up[\s-]to[\s-]date )?records? of (all )?(systems|assets|components|servers)|how it is set up|set[\s-]?up of)\b/g,
    ' changemanagement ',
  ],
  [
    /\b(new starters?|starters?|new (staff|employees|hires|recruits)|induction|recruits?)\b/g,
    ' staff vetting ',
  ],
  [
    /\b((root|superuser|admin|administrator) (accounts?|access|privileges|rights)|single (person|engineer|administrator|individual)|one person|anyone else knowing|admin(istrator)?s?'? actions|actions (of|by) (administrators|admins|engineers)|without (anyone|someone) (else )?(knowing|noticing)|unnoticed|dual control)\b/g,
    ' privilegedaccess ',
  ],
  [
    /\b(software (you|we) (write|build|develop|make)|in[\s-]house (software|applications|code|development)|writ(e|es|ing) (secure )?code|secure code|programmers?|bugs?)\b/g,
    ' develop ',
  ],
  [
    /\b(procure\w*|purchas\w*|(you|we) buy|bought|partners|partner (companies|organi[sz]ations)|(companies|firms|organi[sz]ations) (you|we) (use|outsource|rely on|work with))\b/g,
    ' supplychain ',
  ],
  [
    /\b((remov|revok|withdraw|disabl)\w* (their |the |a user's |user )?access|leaves? (our|the) (organi[sz]ation|company|business)|leavers?|which of our users|our (own )?administrators|delegat\w*|user rights)\b/g,
    ' useraccount ',
  ],
  [
    /\b(verif\w* (user )?identit\w*|(hardware )?security keys|authenticator apps?|passkeys?|api keys?|client certificates?|service accounts?|machine[\s-]to[\s-]machine|prove (who they are|their identity))\b/g,
    ' authenticate ',
  ],
  [
    /\b((malicious|web|inbound|incoming|hostile) traffic|traffic filter\w*|filter\w* (traffic|requests)|attacks? (from|over|coming from) the internet|from the internet|to the internet|exposure to the internet)\b/g,
    ' interface ',
  ],
  [
    /\b(from home|remote(ly)? (access|working|administration)|laptops?|workstations?|locked[\s-]down (devices?|laptops?)|(separate|dedicated|isolated|segregated) (secure )?(admin\w* )?(networks?|accounts?)|corporate network|outside the (office|corporate network))\b/g,
    ' admindevice ',
  ],
  [
    /\b(who (logged|signed) in|what they did|who did what|(usage|activity|access|login|sign[\s-]in) (records?|history|reports?)|account activity|records? of (activity|access|use))\b/g,
    ' auditlog ',
  ],
  [
    /\b((how|when) (will|would) (we|you) (hear|be told|be informed|know)|hear about|let us know|keep us (informed|updated)|named contacts?|security contacts?)\b/g,
    ' alert ',
  ],
  [
    /\b(accidental(ly)?|mistakes?|most restrictive|restrictive (settings|defaults)|misconfigur\w*|guardrails?|safe settings)\b/g,
    ' securedefault ',
  ],
  [
    /\b(advi(ce|se|ses|sing)|recommend\w*|(what|things) (we|the customer|customers) (must|should|need to|have to) do|our (part|side|obligations)|customer obligations)\b/g,
    ' responsibility guide ',
  ],
];

/**
 * Words the light stemmer would fold onto a concept they have nothing to do with ("transition"
 * onto transit, "government" onto governance, "local" onto location, "programme" onto
 * development): kept as they are.
 */
export const FALSE_FRIENDS = new Set([
  'transition',
  'transitions',
  'transitional',
  'transitioning',
  'government',
  'governments',
  'governmental',
  'local',
  'individually',
  'govern',
  'governs',
  'governing',
  'locally',
  'programme',
  'programmes',
]);

/** Groups of (stemmed) words treated as one term. The first word names the group. */
export const SYNONYMS: string[][] = [
  [
    'encrypt',
    'encryption',
    'encrypted',
    'encrypting',
    'cryptographic',
    'cryptography',
    'cipher',
    'ciphers',
    'aes',
    'ipsec',
    'crypto',
    'rsa',
  ],
  [
    'staff',
    'personnel',
    'employee',
    'employees',
    'people',
    'workforce',
    'contractor',
    'individuals',
    'hire',
    'hired',
    'hiring',
    'recruit',
    'recruitment',
  ],
  ['vetting', 'vet', 'vetted', 'screening', 'screen', 'screened', 'nppv'],
  ['log', 'logs', 'logging', 'logged', 'audit', 'auditing', 'trail'],
  ['mfa', 'multifactor', 'otp', 'totp', 'token', 'tokens', 'fido', 'yubikey', 'authenticator'],
  [
    'vulnerability',
    'vulnerabilities',
    'patch',
    'patching',
    'patches',
    'patched',
    'scan',
    'scanning',
    'scanned',
    'remediate',
    'remediation',
    'remediating',
  ],
  [
    'resilience',
    'resilient',
    'availability',
    'redundancy',
    'redundant',
    'continuity',
    'recover',
    'recovery',
    'survive',
  ],
  ['incident', 'incidents', 'breach', 'breaches', 'compromise'],
  [
    'disposal',
    'sanitise',
    'sanitize',
    'sanitisation',
    'sanitization',
    'sanitised',
    'erase',
    'erasure',
    'erased',
    'wipe',
    'wiping',
    'wiped',
    'destroy',
    'destroyed',
    'destruction',
    'dispose',
    'disposed',
    'delete',
    'deletion',
    'deleted',
    'purge',
    'purged',
    'retired',
    'reuse',
    'reused',
  ],
  ['location', 'located', 'country', 'countries', 'region', 'regions', 'legal', 'law', 'laws'],
  ['datacentre', 'facility', 'facilities', 'premises'],
  [
    'tenancy',
    'segregation',
    'segregate',
    'segregated',
    'isolation',
    'isolate',
    'isolated',
    'tenant',
    'tenants',
    'partition',
    'separation',
  ],
  ['governance', 'oversight'],
  [
    'change',
    'changes',
    'changed',
    'configuration',
    'config',
    'baseline',
    'baselines',
    'deploy',
    'deployed',
    'deployment',
  ],
  ['monitor', 'monitoring', 'monitored', 'detect', 'detection', 'intrusion', 'intrusions'],
  [
    'develop',
    'development',
    'developer',
    'developers',
    'code',
    'coding',
    'devsecops',
    'programming',
  ],
  ['supplychain', 'subcontractor', 'subcontractors'],
  ['role', 'roles', 'permission', 'permissions', 'entitlement', 'entitlements'],
  [
    'authenticate',
    'authentication',
    'authenticated',
    'password',
    'passwords',
    'passphrase',
    'credential',
    'credentials',
    'identity',
    'identities',
  ],
  [
    'admin',
    'administrator',
    'administrators',
    'administration',
    'administrative',
    'administer',
    'privileged',
    'privilege',
    'superuser',
    'root',
  ],
  ['interface', 'interfaces', 'exposed', 'endpoint', 'endpoints'],
  [
    'alert',
    'alerts',
    'alerting',
    'warn',
    'warning',
    'warnings',
    'notify',
    'notified',
    'notification',
    'notifications',
    'advisory',
    'advisories',
  ],
  ['train', 'training', 'trained', 'awareness', 'culture', 'educate', 'education'],
  ['certif', 'certification', 'certified', 'accreditation', 'accredited', 'iso27001'],
  ['guide', 'guides', 'guidance', 'handbook', 'manual', 'manuals', 'tutorial'],
  ['hardened', 'hardening', 'harden', 'image', 'images'],
];

/**
 * Buyers' words for each principle that its title and requirement do not carry, by principle
 * title (lower case) so that both NCSC catalogues, and a custom catalogue with the same
 * titles, get them. The text goes through the same phrases and synonyms as a question.
 */
const V = {
  transit:
    'data in transit encryption in transit tls ssl https hsts certificates cipher suites vpn ipsec secure file transfer sftp network traffic communications eavesdropping interception man in the middle transmitted transmission wire',
  location:
    'data residency data location country countries region hosted uk eea offshore overseas cross border international transfers jurisdiction laws legal sovereignty foreign government cloud act law enforcement lawful access requests disclosure where stored processed managed support staff location',
  datacentre:
    'data centre physical security facilities premises buildings sites cctv guards security staff on site access cards biometric visitors escorted perimeter fencing server rooms cages racks fire suppression environmental controls flood colocation entry tampering theft',
  atrest:
    'data at rest encryption at rest stored data disk encryption database encryption storage encryption backups encrypted aes 256 key management encryption keys hardware security modules kms bring your own keys customer managed keys key rotation fips 140',
  sanitisation:
    'secure deletion erasure wipe sanitise nist 800-88 data deletion delete removed destroyed unrecoverable recovered storage reallocated reused end of contract contract termination data return retention period exit',
  disposal:
    'equipment disposal media destruction decommissioned drives hard drives disks shredding degaussing certificate of destruction disposal contractor retired equipment end of life',
  resilience:
    'availability uptime downtime service level sla outage redundancy failover business continuity disaster recovery backup restore recovery time objective recovery point objective rto rpo high availability single point of failure secondary site generators power supply cooling',
  separation:
    'multi tenant multi-tenancy tenancy segregation isolation separation other customers other tenants co-mingled hypervisor virtualisation logically separated private networks vlan shared infrastructure dedicated',
  governance:
    'governance information security management system isms information security policy security policies board senior management ciso accountable owner responsible risk management risk register risk assessment management review internal audit security committee security strategy iso 27001 certification compliance risk owners',
  operational: 'operational security day to day operations security operations',
  vulnerability:
    'vulnerability management vulnerabilities patching patch management security patches security updates cve cvss vulnerability scanning penetration testing pen test it health check remediation security advisories threat intelligence exploits zero day end of life software weaknesses severity pentest',
  monitoring:
    'protective monitoring security monitoring siem soc security operations centre intrusion detection intrusion prevention ids ips edr anomaly suspicious activity attacks threat detection security events malware antivirus misuse investigation 24/7',
  incident:
    'incident management incident response security incidents breach data breach breach notification incident response plan exercises tabletop root cause post incident review forensics escalation major incident report incidents',
  change:
    'change management change control change approval change advisory board emergency changes configuration management configuration baselines drift asset inventory asset register cmdb release management deployment infrastructure as code build standards',
  personnel:
    'personnel security staff employees background checks vetting screening bpss security clearance dbs criminal record references right to work pre employment checks security awareness training phishing simulations security culture confidentiality agreements nda disciplinary insider threat contractors',
  adminControls:
    'technical controls administration privileged access least privilege privileged accounts administrator access admin rights separation of duties four eyes two person just in time break glass session recording staff access to customer data engineers access support staff access access reviews',
  development:
    'secure development sdlc secure coding coding standards owasp code review peer review static analysis sast dast dependency scanning software composition analysis threat modelling source code repository build pipeline ci/cd developers security testing test environments production data in test pentest',
  supplyChain:
    'supply chain third parties suppliers vendors sub-processors subcontractors outsourcing supplier assurance supplier due diligence supplier contracts vendor risk management supplier audits fourth parties open source components sbom',
  userManagement:
    'user management user accounts provisioning deprovisioning joiners movers leavers roles role based access control rbac permissions access rights customer administrators manage users add remove users management console portal support channels service desk helpdesk verify callers',
  identity:
    'identity authentication login sign in mfa two factor multi factor single sign on sso saml oidc federation identity provider azure ad entra id active directory password policy password complexity account lockout failed login attempts api keys tokens brute force',
  externalInterface:
    'external interface protection firewalls web application firewall waf ddos denial of service internet facing public facing exposed services ports open ports attack surface rate limiting perimeter boundary gateway dmz network security apis exposed',
  adminService:
    'secure service administration administration devices privileged access workstations management network jump hosts bastion remote administration personal devices byod end user devices dedicated devices out of band management admin laptops',
  auditInfo:
    'audit information audit logs audit trail access logs activity logs event logs log retention logs kept export logs stream logs siem integration records who accessed forward logs to our own siem changes users make',
  alerts:
    'security alerts notify customers notifications alerting advisories security bulletins status page mailing list warn customers inform customers tell customers',
  secureDefault:
    'security by design secure by default secure defaults default settings default configuration out of the box hardened images insecure options guardrails misconfiguration',
  customerHelp:
    'customer responsibilities shared responsibility model responsibility matrix security guidance documentation configuration guides hardening guides knowledge base user guides customer training how to use securely',
};

const VOCABULARY: Record<string, string> = {
  // ncsc-2023 and ncsc-2016 titles.
  'data in transit protection': V.transit,
  'asset protection and resilience': [
    V.location,
    V.datacentre,
    V.atrest,
    V.sanitisation,
    V.disposal,
    V.resilience,
  ].join(' '),
  'physical location and legal jurisdiction': V.location,
  'data centre security': V.datacentre,
  'data encryption': V.atrest,
  'data at rest protection': V.atrest,
  'data sanitisation and equipment disposal': `${V.sanitisation} ${V.disposal}`,
  'data sanitisation': V.sanitisation,
  'equipment disposal': V.disposal,
  'physical resilience and availability': V.resilience,
  'separation between customers': V.separation,
  'separation between users': V.separation,
  'governance framework': V.governance,
  'operational security': [V.operational, V.vulnerability, V.monitoring, V.incident, V.change].join(
    ' ',
  ),
  'vulnerability management': V.vulnerability,
  'protective monitoring': V.monitoring,
  'incident management': V.incident,
  'configuration and change management': V.change,
  'personnel security': `${V.personnel} ${V.adminControls}`,
  'people and security culture': V.personnel,
  'technical controls for service administration': V.adminControls,
  'secure development': V.development,
  'supply chain security': V.supplyChain,
  'secure user management': V.userManagement,
  'authentication of users to management interfaces and support channels': `${V.userManagement} ${V.identity}`,
  'separation and access control within management interfaces': V.userManagement,
  'identity and authentication': V.identity,
  'external interface protection': V.externalInterface,
  'secure service administration': V.adminService,
  'audit information and alerting for customers': `${V.auditInfo} ${V.alerts}`,
  'audit information for users': V.auditInfo,
  'audit information': V.auditInfo,
  'security alerts': V.alerts,
  'secure use of the service': `${V.secureDefault} ${V.customerHelp}`,
  'security by design and by default': V.secureDefault,
  'help customers meet their security responsibilities': V.customerHelp,
};

/** The buyers' vocabulary for a principle, by its title; '' for a title the thesaurus lacks. */
export function vocabularyFor(title: string): string {
  return VOCABULARY[title.trim().toLowerCase()] ?? '';
}

/**
 * Questions that are about the supplier as a business rather than the service's security
 * (insurance, prices, size, finances, social value, accessibility, branding): only the library
 * may answer them, never a principle that happens to share a word ("employees" is not
 * personnel security).
 */
export const OFF_TOPIC =
  /\b(insur(ance|ed|er)|indemnit(y|ies)|liabilit(y|ies) cover|price|prices|pricing|(hourly|day|daily) rates?|consultancy|professional services|registered with the ico|ico registration|data protection (fee|registration)|mobile (phones?|apps?)|smart ?phones?|tablets?|training for (our|your) (end )?users|(training|train) (for|to|of) (our|your|customer) (end )?(users|administrators|admins|staff|team|employees)|(customer )?support (phone )?lines?|telephone (support|lines?)|helplines?|change requests? for (new )?features|new features|(end[\s-])?user training|similar projects|experience of delivering|priced|costs?|costing|fees?|charges?|rate card|discounts?|invoic(e|es|ing)|payment terms|pay (monthly|annually|by)|direct debit|purchase orders?|turnover|revenue|profits?|financ\w*|contract value|value of (your|the) (largest|biggest)|integrat\w* with (our|your|the|an?) (finance|hr|crm|erp|payroll|case management|housing)\w*|send (text|sms)\w*|text messages?|accounts filed|annual accounts|statutory accounts|headcount|how many (staff|employees|people|customers|clients|users)|number of (staff|employees|customers|clients)|company size|size of (your|the) (company|organisation|organization|business)|years in business|(year|when) (was )?(the company |your company )?(founded|established|incorporated)|registered (office|number|address)|company (registration|number)|vat number|duns|case stud(y|ies)|customer references|referees?|testimonials?|sustainab\w*|carbon|net zero|environmental policy|modern slavery|social value|diversity|equality|equal opportunit\w*|gender pay|apprentic\w*|parent company|ownership|shareholders?|mergers?|acquisitions?|litigation|lawsuits?|conflicts? of interest|bribery|anti[\s-]corruption|contract (length|term)|minimum term|notice period|sla credits?|service credits?|support hours|opening hours|(what are|what is) (your )?(office|business|working) hours|free trial|trial period|demonstrations?|demos?|competitors?|staff turnover|(procurement|public sector|purchasing|government) frameworks?|frameworks? you are on|open standards?|onboarding projects?|account manager|training courses|days of training|languages?|welsh|translat\w*|accessibility|wcag|which browsers|browsers? (are )?supported|supported browsers|comply with (the )?(uk )?gdpr|gdpr compliance|data protection act|privacy (policy|notice)|dpia|data protection impact|response times? for support|support (tickets?|response times?)|ticketing|screen readers?|supplier relationship management|(customer|user) (advisory )?(boards?|groups?|forums?|panels?)|advisory boards?|(contract|relationship) management (meetings|reviews)|release (schedule|cadence|notes|calendar)|feature (requests?|roadmap)|branding|brand (guidelines|colours|identity)|(our|corporate|own) brand|logo|white[\s-]?label\w*|look and feel|roadmap|implementation (plan|timescales?|timeline)|(delivery|project|mobili[sz]ation) timescales?|go[\s-]live|parking|car park|project manage\w*|complaints?|customer satisfaction|data protection officer|dpo|trade unions?|health and safety|subsidiar\w*|award\w*|legal (proceedings|action|disputes?|claims?)|proceedings|tribunals?|convictions?|convicted|insolven\w*|bankrupt\w*|receivership|winding[\s-]up|debar\w*|grounds for (mandatory |discretionary )?exclusion|tax (compliance|returns|evasion|affairs)|tupe|pensions?|salar(y|ies)|wages?|living wage|payroll|staff retention|retention rate|attrition|maternity|paternity|org(ani[sz]ation(al)?)? (chart|structure)|sales|marketing|customer success|account management|whistle[\s-]?blow\w*|wellbeing|mental health|diversity and inclusion|disabilit(y|ies)|credit (ratings?|scores?|checks?)|dun (and|&) bradstreet|balance sheet|audited accounts|bank(ing)? details|parent company guarantee|performance bonds?|tender\w*|bids?|bidders?|licen[cs]ing|licen[cs]e (model|fees?|costs?|terms)|smes?|small (or|and) medium|small business\w*|micro business\w*|prompt payment|framework agreements?|crown commercial|commercial terms|exit fees?|termination fees?|emissions|greenhouse|climate|iso ?14001|environmental management|recycl\w*|waste|renewable|volunteer\w*|charit(y|ies|able)|human rights|child labour|ethical sourcing|conflict minerals|esg|(head|main|registered) offices?|how many ([\w-]+ ){0,3}(staff|employees|people|engineers|developers|personnel|specialists|consultants)( (do you|does your \w+|are (there|employed|based)|work|have you|will you|in total)|\?|$)|(used|use|usable|access\w*|work\w*) on mobile( devices?)?|mobile devices? (are )?supported|number of ([\w-]+ ){0,2}(staff|employees|engineers|personnel)|(sell|sells|selling|resell\w*)|incumbent|local (employment|economy|communit(y|ies)|businesses|jobs|people)|skills|jobs|employment opportunit\w*|pay(ing|ment of)? (our |your |its )?(suppliers|subcontractors|invoices)|service usage|usage (reports?|reporting|statistics|figures)|data (import|migration)|import\w* (data )?from|spreadsheets?|excel|management information|iso ?9001|quality management|iso ?45001|net promoter|nps)\b/;

/**
 * The security domain's vocabulary, over folded question text: a question that uses none of
 * these words (a bid's commercial, legal, HR or ESG questions: "legal proceedings", "sales
 * staff", "TUPE", "living wage", "go-live date") is not about the service's security, so no
 * principle answers it, however many everyday words ("staff", "training", "legal",
 * "certification", "account") it shares with one. Deliberately wide: missing a word here costs
 * a blank; the words that are left out are the ones commercial questions use as often as
 * security ones.
 */
export const SECURITY_DOMAIN = new RegExp(
  '\\b(' +
    [
      // Confidentiality and cryptography.
      'secur\\w*|insecur\\w*|protect\\w*|saf(e|er|est|ely)|safeguard\\w*|encrypt\\w*|decrypt\\w*|crypt\\w*|ciphers?|tls|ssl|https|hsts|vpns?|ipsec|sftp|ftps|certificates?|keys?|hsms?|kms|byok|confidential\\w*|integrity|privacy|personal data|sensitive|classif\\w*',
      // Data and its life.
      'data|information|records?|files?|databases?|backups?|back(ed)?[\\s-]up|snapshots?|capacity|restor\\w*|recover\\w*|disasters?|continuity|resilien\\w*|availability|uptime|downtime|outages?|fail[\\s-]?over|redundan\\w*|rto|rpo|generators?|ups|power|replicat\\w*|delet\\w*|dispos\\w*|destr\\w*|wip(e|ed|es|ing)|eras\\w*|saniti[sz]\\w*|shred\\w*|degauss\\w*|disks?|drives?|media|storage|stor(e|ed|es|ing)|decommission\\w*',
      // Identity and access.
      'access\\w*|provision\\w*|de[\\s-]?provision\\w*|(different|user|admin\\w*|their|edit|view) rights|authenti\\w*|authori[sz]\\w*|passwords?|passphrases?|passkeys?|credentials?|mfa|2fa|(two|multi|second)[\\s-]?(factor|step)|sso|single sign[\\s-]?on|sign[\\s-]?(in|on)|log[\\s-]?(in|on)s?|saml|oidc|oauth|openid|identit\\w*|federat\\w*|okta|entra|azure ad|active directory|ldap|(user|admin\\w*|privileged|service|shared|generic|root|superuser|customer) accounts?|(creat|disabl|delet|remov|add|suspend)\\w* (and (creat|disabl|delet|remov|suspend)\\w* )?accounts|superusers?|logged (in|on)|accounts? (are |is )?(locked|disabled|deleted|created|removed|reviewed)|permissions?|privileg\\w*|admin\\w*|roles?|rbac|least privilege|joiners?|leavers?',
      // Detection and response.
      'logs?|logging|audit\\w*|siem|soc|monitor\\w*|detect\\w*|alert\\w*|intrusion\\w*|anomal\\w*|suspicious|incidents?|breach\\w*|compromis\\w*|attack\\w*|threats?|malicious\\w*|hack\\w*|activit(y|ies)|histor(y|ies)|failures?|malware|ransomware|virus\\w*|phishing|forensic\\w*|risks?|vulnerab\\w*|patch\\w*|pen(etration)?[\\s-]?test\\w*|exploit\\w*|cves?|weakness\\w*|bugs?|flaws?|advisor(y|ies)',
      // Networks and systems.
      'firewall\\w*|waf|ddos|denial[\\s-]of[\\s-]service|network\\w*|ports?|interfaces?|apis?|internet|traffic|endpoints?|gateways?|perimeter|dmz|servers?|systems?|platform|infrastructure|cloud|host\\w*|hypervisors?|virtual\\w*|tenan\\w*|isolat\\w*|segregat\\w*|separat\\w*|workloads?|compute|environments?|production|live (environments?|systems?|services?|data|platforms?)|portals?|resources',
      // Places.
      'data[\\s-]?(cent(re|er)s?|halls?)|facilit(y|ies)|premises|buildings?|sites?|cctv|guards?|visitors?|physical\\w*|fires?|flood\\w*|cages?|racks?|locat\\w*|countr(y|ies)|hosting regions?|jurisdictions?|residency|sovereign\\w*|overseas|offshore|abroad|uk|eea|eu|united kingdom|law enforcement|governments?|authorities',
      // Change, development and suppliers.
      'configur\\w*|baselines?|harden\\w*|inventor(y|ies)|assets?|components?|cmdb|releas\\w*|deploy\\w*|changes?|modif\\w*|hardware|software|devices?|laptops?|workstations?|bastions?|jump (hosts?|box\\w*)|code|coding|develop\\w*|programm\\w*|sdlc|owasp|open[\\s-]source|librar(y|ies)|dependenc\\w*|pipelines?|test(s|ing|ed)?|suppl(y|ier|iers)|supply chain|third[\\s-]part\\w*|sub[\\s-]?processors?|sub[\\s-]?contractors?|vendors?|outsourc\\w*',
      // People (only the words that mean security about people).
      'vetting|vetted|screen(ing|ed)|background|clearances?|bpss|dbs|criminal|references?|right to work|pre[\\s-]employment|hired?|hiring|checks?|nda|non[\\s-]disclosure|disciplinary|insider\\w*|awareness|starters?',
      // Governance and assurance.
      'iso|27001|27017|27018|22301|soc ?2|cyber\\w*|ncsc|caiq|isms|ciso|controls?|responsibilit\\w*|support (desk|channels?|staff|calls?|team|requests?|tickets?)|service desk|help[\\s-]?desk|callers?|defaults?|guidance|guides?|misuse',
    ].join('|') +
    ')\\b',
);
