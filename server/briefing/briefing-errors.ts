/** The security briefing's refusals, each with a stable code (server/api/api-errors.ts gives their HTTP status). */
import { CodedError } from '../../common/errors/coded-error.js';

export class BriefingAcknowledgementRequired extends CodedError<'briefing_acknowledgement_required'> {
  constructor(details: { version: number; reason: 'never' | 'new_version' | 'renewal' }) {
    super(
      'briefing_acknowledgement_required',
      details.reason === 'renewal'
        ? 'Your acknowledgement of the security briefing has lapsed: read it again and acknowledge each rule, then your inbox opens.'
        : 'Read the security briefing and acknowledge each rule first: your inbox opens once you have.',
      details,
    );
    this.name = 'BriefingAcknowledgementRequired';
  }
}

export class BriefingChanged extends CodedError<'briefing_changed'> {
  constructor(details: { version: number }) {
    super(
      'briefing_changed',
      `Someone published another version of the briefing meanwhile (version ${details.version} is in force now): read it again, then make your change on it.`,
      details,
    );
    this.name = 'BriefingChanged';
  }
}

export class BriefingVersionNotCurrent extends CodedError<'briefing_version_not_current'> {
  constructor(details: { version: number }) {
    super(
      'briefing_version_not_current',
      `That is not the briefing in force (version ${details.version} is): read it again and acknowledge that one.`,
      details,
    );
    this.name = 'BriefingVersionNotCurrent';
  }
}

export class BriefingRulesMissing extends CodedError<'briefing_rules_missing'> {
  constructor(details: { missing: string[]; unknown: string[] }) {
    super(
      'briefing_rules_missing',
      details.missing.length > 0
        ? `Acknowledge every rule of the briefing: ${details.missing.join(', ')} ${details.missing.length === 1 ? 'is' : 'are'} not acknowledged yet.`
        : `The briefing has no rule ${details.unknown.join(', ')}: read it again and acknowledge the rules it has.`,
      details,
    );
    this.name = 'BriefingRulesMissing';
  }
}
