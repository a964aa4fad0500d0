"""Every message a rule can give, in French, Dutch and English, in one table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Why one table rather than gettext catalogs here: rules/ must stay free of I/O,
# and a single table lets a test prove that every code has all three languages
# with the same placeholders.
MESSAGES: dict[str, dict[str, str]] = {
    "invalid_niss": {
        "fr": "Le numéro de registre national « {niss} » n'est pas valide : {detail}.",
        "nl": "Het rijksregisternummer ‘{niss}’ is ongeldig: {detail}.",
        "en": "The national register number '{niss}' is not valid: {detail}.",
    },
    "invalid_name": {
        "fr": "{field} « {value} » n'est pas valide : de 1 à 100 caractères, lettres, espaces, "
        "traits d'union et apostrophes uniquement.",
        "nl": "{field} ‘{value}’ is ongeldig: 1 tot 100 tekens, enkel letters, spaties, "
        "koppeltekens en apostrofs.",
        "en": "{field} '{value}' is not valid: 1 to 100 characters, only letters, spaces, "
        "hyphens and apostrophes.",
    },
    "mixed_script_name": {
        "fr": "{field} « {value} » mêle dans un même mot des lettres latines, cyrilliques ou "
        "grecques qui se ressemblent : tapez chaque mot dans un seul alphabet.",
        "nl": "{field} ‘{value}’ mengt in één woord Latijnse, Cyrillische of Griekse letters die "
        "op elkaar lijken: typ elk woord in één enkel schrift.",
        "en": "{field} '{value}' mixes look-alike Latin, Cyrillic or Greek letters within one "
        "word: type each word in a single script.",
    },
    "control_characters": {
        "fr": "{field} contient un caractère de contrôle ou une marque de direction invisible, "
        "ce qui n'est pas permis : « {value} ».",
        "nl": "{field} bevat een stuurteken of een onzichtbaar richtingsteken, wat niet "
        "toegelaten is: ‘{value}’.",
        "en": "{field} contains a control character or an invisible direction mark, which is "
        "not allowed: '{value}'.",
    },
    "unknown_type": {
        "fr": "Le type d'employé « {value} » n'existe pas.",
        "nl": "Het type medewerker ‘{value}’ bestaat niet.",
        "en": "The employee type '{value}' does not exist.",
    },
    "not_authorized": {
        "fr": "Vous n'êtes pas autorisé à faire cette demande pour cette entité. Seul un médecin "
        "ou un pharmacien lié à l'entité peut introduire des demandes.",
        "nl": "U mag deze aanvraag niet indienen voor deze entiteit. Enkel een arts of apotheker "
        "die aan de entiteit gekoppeld is, kan aanvragen indienen.",
        "en": "You are not allowed to file this request for this entity. Only a doctor or "
        "pharmacist linked to the entity can file requests.",
    },
    "not_authorized.admin": {
        "fr": "Vous n'êtes pas autorisé à traiter cette demande.",
        "nl": "U mag deze aanvraag niet behandelen.",
        "en": "You are not allowed to decide this request.",
    },
    "not_authorized.own": {
        "fr": "Vous ne pouvez pas traiter la demande {request} : elle vous concerne ou vous "
        "l'avez introduite vous-même.",
        "nl": "U kunt aanvraag {request} niet behandelen: ze betreft uzelf of u hebt ze zelf "
        "ingediend.",
        "en": "You cannot decide request {request}: it concerns you or you filed it yourself.",
    },
    "macg_needs_doctor": {
        "fr": "{person} ne peut être ajouté(e) comme MACG à {entity} que par son médecin "
        "responsable ; un pharmacien ne peut pas ajouter de MACG.",
        "nl": "{person} kan enkel door de verantwoordelijke arts als HAIO aan {entity} worden "
        "toegevoegd; een apotheker kan geen HAIO toevoegen.",
        "en": "{person} can only be added to {entity} as a GP trainee by their supervising "
        "doctor; a pharmacist cannot add a GP trainee.",
    },
    "pending_connect_exists": {
        "fr": "Une demande de connexion pour {person} auprès de {entity} a déjà été introduite. "
        "Attendez qu'un administrateur la traite ou la supprime avant d'en introduire une "
        "nouvelle.",
        "nl": "Er werd al een koppelingsaanvraag ingediend voor {person} bij {entity}. Wacht tot "
        "een beheerder ze behandelt of verwijdert voor u een nieuwe indient.",
        "en": "A connection request for {person} at {entity} has already been filed. Wait until "
        "an administrator processes or deletes it before filing a new one.",
    },
    "already_linked": {
        "fr": "{person} est déjà lié(e) à {entity}.",
        "nl": "{person} is al gekoppeld aan {entity}.",
        "en": "{person} is already linked to {entity}.",
    },
    "pending_disconnect_exists": {
        "fr": "Une demande de déconnexion pour {person} auprès de {entity} a déjà été "
        "introduite. Attendez qu'un administrateur la traite ou la supprime avant d'en "
        "introduire une nouvelle.",
        "nl": "Er werd al een ontkoppelingsaanvraag ingediend voor {person} bij {entity}. Wacht "
        "tot een beheerder ze behandelt of verwijdert voor u een nieuwe indient.",
        "en": "A disconnection request for {person} at {entity} has already been filed. Wait "
        "until an administrator processes or deletes it before filing a new one.",
    },
    "not_linked": {
        "fr": "{person} n'est pas lié(e) à {entity}.",
        "nl": "{person} is niet gekoppeld aan {entity}.",
        "en": "{person} is not linked to {entity}.",
    },
    "last_person": {
        "fr": "Au moins une personne doit toujours être liée à {entity}. Déconnecter {person} "
        "ne laisserait plus personne : liez d'abord une nouvelle personne.",
        "nl": "Er moet altijd minstens één persoon aan {entity} gekoppeld blijven. {person} "
        "ontkoppelen zou niemand overlaten: koppel eerst een nieuwe persoon.",
        "en": "At least one person must always stay linked to {entity}. Disconnecting {person} "
        "would leave nobody: link a new person first.",
    },
    "last_manager": {
        "fr": "{entity} doit garder au moins un médecin ou pharmacien pour pouvoir gérer son "
        "personnel. Déconnecter {person} n'en laisserait plus aucun.",
        "nl": "{entity} moet minstens één arts of apotheker behouden om zijn personeel te "
        "beheren. {person} ontkoppelen zou er geen enkele overlaten.",
        "en": "{entity} must keep at least one doctor or pharmacist to manage its staff. "
        "Disconnecting {person} would leave none.",
    },
    # Only given for two refusals or more (one refusal is given as it is): always plural.
    "disconnect_refused": {
        "fr": "Aucune demande de déconnexion n'a été introduite pour {entity} ; {count} "
        "personnes posent problème :",
        "nl": "Er werd geen enkele ontkoppelingsaanvraag ingediend voor {entity}; {count} "
        "personen geven een probleem:",
        "en": "No disconnection request was filed for {entity}; {count} people cannot be "
        "disconnected:",
    },
    "empty_selection": {
        "fr": "Sélectionnez au moins une personne à déconnecter.",
        "nl": "Selecteer minstens één persoon om te ontkoppelen.",
        "en": "Select at least one person to disconnect.",
    },
    "reason_required": {
        "fr": "Indiquez la raison du rejet de la demande {request}.",
        "nl": "Geef de reden op waarom aanvraag {request} wordt afgewezen.",
        "en": "Give the reason for rejecting request {request}.",
    },
    "reason_too_long": {
        "fr": "La raison du rejet de la demande {request} compte {length} caractères ; "
        "{limit} au plus.",
        "nl": "De reden van afwijzing van aanvraag {request} telt {length} tekens; hoogstens "
        "{limit}.",
        "en": "The reason for rejecting request {request} has {length} characters; {limit} at "
        "most.",
    },
    "not_pending": {
        "fr": "La demande {request} pour {person} n'est plus en attente (statut : {status}).",
        "nl": "Aanvraag {request} voor {person} is niet meer in behandeling (status: {status}).",
        "en": "Request {request} for {person} is no longer pending (status: {status}).",
    },
    "withdraw_not_own": {
        "fr": "Vous ne pouvez pas retirer la demande {request} pour {person} : seule la personne "
        "qui l'a introduite peut la retirer.",
        "nl": "U kunt aanvraag {request} voor {person} niet intrekken: enkel wie ze heeft "
        "ingediend, kan ze intrekken.",
        "en": "You cannot withdraw request {request} for {person}: only the person who filed it "
        "can withdraw it.",
    },
    "unknown_request": {
        "fr": "La demande « {request} » n'existe pas.",
        "nl": "Aanvraag ‘{request}’ bestaat niet.",
        "en": "Request '{request}' does not exist.",
    },
    "unknown_mail": {
        "fr": "L'e-mail « {mail} » n'existe pas.",
        "nl": "E-mail ‘{mail}’ bestaat niet.",
        "en": "Mail '{mail}' does not exist.",
    },
    "unknown_entity": {
        "fr": "L'entité « {value} » n'existe pas.",
        "nl": "Entiteit ‘{value}’ bestaat niet.",
        "en": "Entity '{value}' does not exist.",
    },
    "entity_exists": {
        "fr": "Une entité avec l'identifiant « {value} » existe déjà.",
        "nl": "Er bestaat al een entiteit met id ‘{value}’.",
        "en": "An entity with id '{value}' already exists.",
    },
    "invalid_entity_id": {
        "fr": "L'identifiant d'entité « {value} » n'est pas valide : 1 à 64 caractères, "
        "lettres, chiffres, « . », « _ » et « - ».",
        "nl": "Entiteits-id ‘{value}’ is ongeldig: 1 tot 64 tekens, letters, cijfers, ‘.’, ‘_’ "
        "en ‘-’.",
        "en": "Entity id '{value}' is not valid: 1 to 64 characters, letters, digits, '.', '_' "
        "and '-'.",
    },
    "invalid_entity_name": {
        "fr": "Le nom d'entité « {value} » n'est pas valide : 1 à 200 caractères imprimables.",
        "nl": "Entiteitsnaam ‘{value}’ is ongeldig: 1 tot 200 afdrukbare tekens.",
        "en": "Entity name '{value}' is not valid: 1 to 200 printable characters.",
    },
    "unknown_kind": {
        "fr": "Le type d'entité « {value} » n'existe pas.",
        "nl": "Het type entiteit ‘{value}’ bestaat niet.",
        "en": "The entity kind '{value}' does not exist.",
    },
    "invalid_email": {
        "fr": "L'adresse électronique « {value} » n'est pas valide : une seule adresse, de la "
        "forme secretariat@cabinet.be, sans nom ni espace.",
        "nl": "Het e-mailadres ‘{value}’ is ongeldig: één enkel adres, zoals "
        "secretariaat@praktijk.be, zonder naam of spaties.",
        "en": "The e-mail address '{value}' is not valid: one address only, like "
        "office@practice.be, with no name or spaces.",
    },
    "invalid_email.local_part_ascii": {
        "fr": "L'adresse électronique « {value} » n'est pas acceptée : la partie avant le @ doit "
        "s'écrire sans accents ni caractères spéciaux, car peu de serveurs de messagerie "
        "acceptent les autres.",
        "nl": "Het e-mailadres ‘{value}’ wordt niet aanvaard: het deel vóór de @ moet zonder "
        "accenten of speciale tekens, want weinig mailservers aanvaarden die.",
        "en": "The e-mail address '{value}' is not accepted: the part before the @ must have no "
        "accents or special letters, because few mail servers accept them.",
    },
    "mail_not_failed.sent": {
        "fr": "L'e-mail {mail} a déjà été envoyé ; seul un e-mail en échec peut être renvoyé.",
        "nl": "De e-mail {mail} is al verzonden; enkel een mislukte e-mail kan opnieuw worden "
        "verzonden.",
        "en": "E-mail {mail} has already been sent; only a failed e-mail can be sent again.",
    },
    "mail_not_failed": {
        "fr": "L'e-mail {mail} attend encore d'être envoyé ; seul un e-mail en échec peut "
        "être renvoyé.",
        "nl": "De e-mail {mail} wacht nog op verzending; enkel een mislukte e-mail kan opnieuw "
        "worden verzonden.",
        "en": "E-mail {mail} is still waiting to be sent; only a failed e-mail can be sent again.",
    },
    "invalid_language": {
        "fr": "La langue « {value} » n'est pas prise en charge (fr ou nl).",
        "nl": "De taal ‘{value}’ wordt niet ondersteund (fr of nl).",
        "en": "The language '{value}' is not supported (fr or nl).",
    },
    "manager_type_required": {
        "fr": "Le premier responsable de {entity} doit être médecin ou pharmacien, pas {type}.",
        "nl": "De eerste verantwoordelijke van {entity} moet arts of apotheker zijn, geen {type}.",
        "en": "The first manager of {entity} must be a doctor or pharmacist, not {type}.",
    },
    "macg_unsupervised": {
        "fr": "MACG sans médecin responsable lié à {entity}\u00a0: {trainees}.",
        "nl": "HAIO's zonder verantwoordelijke arts gekoppeld aan {entity}: {trainees}.",
        "en": "GP trainees without a supervising doctor linked to {entity}: {trainees}.",
    },
    "link_end_held": {
        "fr": "Le lien de {person} avec {entity} devait finir le {until}\u00a0; il est gardé "
        "car l'entité n'aurait plus personne ou plus de médecin ou pharmacien.",
        "nl": "De koppeling van {person} met {entity} moest eindigen op {until}; ze blijft "
        "behouden omdat de entiteit anders niemand of geen arts of apotheker meer heeft.",
        "en": "The link of {person} with {entity} was to end on {until}; it is kept because "
        "the entity would otherwise have nobody, or no doctor or pharmacist.",
    },
    "supervises_macg": {
        "fr": "{person} est le médecin responsable de MACG qui restent liés à {entity} : "
        "{trainees}. Ils n'auront plus de médecin responsable dans l'entité.",
        "nl": "{person} is de verantwoordelijke arts van HAIO's die aan {entity} gekoppeld "
        "blijven: {trainees}. Zij hebben dan geen verantwoordelijke arts meer in de entiteit.",
        "en": "{person} supervises GP trainees who stay linked to {entity}: {trainees}. They "
        "will no longer have a supervising doctor at the entity.",
    },
    "supervises_macg.one": {
        "fr": "{person} est le médecin responsable du MACG {trainees}, qui reste lié(e) à "
        "{entity} et n'y aura plus de médecin responsable.",
        "nl": "{person} is de verantwoordelijke arts van HAIO {trainees}, die aan {entity} "
        "gekoppeld blijft en daar geen verantwoordelijke arts meer heeft.",
        "en": "{person} supervises GP trainee {trainees}, who stays linked to {entity} and "
        "will no longer have a supervising doctor there.",
    },
    "approval_would_fail": {
        "fr": "L'approbation serait refusée maintenant : {reason}",
        "nl": "Goedkeuring zou nu geweigerd worden: {reason}",
        "en": "Approval would be refused now: {reason}",
    },
    "niss_other_name": {
        "fr": "Ce numéro de registre national est connu sous le nom {other}, alors que la "
        "demande dit {requested}.",
        "nl": "Dit rijksregisternummer is gekend als {other}, terwijl de aanvraag {requested} "
        "vermeldt.",
        "en": "This national register number is known as {other}, while the request says "
        "{requested}.",
    },
    "name_mixed_scripts": {
        "fr": "{field} « {value} » mêle dans un même mot des lettres latines, cyrilliques ou "
        "grecques qui se ressemblent : il peut imiter un autre nom.",
        "nl": "{field} ‘{value}’ mengt in één woord Latijnse, Cyrillische of Griekse letters die "
        "op elkaar lijken: de naam kan een andere naam nabootsen.",
        "en": "{field} '{value}' mixes look-alike Latin, Cyrillic or Greek letters within one "
        "word: it may imitate another name.",
    },
    "name_compatibility_forms": {
        "fr": "{field} « {value} » est écrit en caractères pleine chasse ou de compatibilité ; "
        "en lettres ordinaires : « {plain} ».",
        "nl": "{field} ‘{value}’ is geschreven met tekens van volle breedte of "
        "compatibiliteitstekens; in gewone letters: ‘{plain}’.",
        "en": "{field} '{value}' is written in full-width or compatibility characters; in "
        "ordinary letters: '{plain}'.",
    },
    "name_other_script": {
        "fr": "{field} « {value} » est écrit en {script} ; le registre national écrit les noms "
        "en lettres latines : vérifiez-le.",
        "nl": "{field} ‘{value}’ is geschreven in {script}; het rijksregister schrijft namen in "
        "Latijnse letters: kijk het na.",
        "en": "{field} '{value}' is written in {script}; the national register writes names in "
        "Latin letters: check it.",
    },
    "linked_elsewhere": {
        "fr": "{person} est aussi lié(e) à : {entities}.",
        "nl": "{person} is ook gekoppeld aan: {entities}.",
        "en": "{person} is also linked to: {entities}.",
    },
    "pending_elsewhere": {
        "fr": "{person} a aussi une demande en attente auprès de : {entities}.",
        "nl": "{person} heeft ook een lopende aanvraag bij: {entities}.",
        "en": "{person} also has a pending request at: {entities}.",
    },
    "macg_supervisor": {
        "fr": "{person} sera MACG sous la responsabilité de {supervisor}.",
        "nl": "{person} wordt HAIO onder verantwoordelijkheid van {supervisor}.",
        "en": "{person} will be a GP trainee supervised by {supervisor}.",
    },
    "field_required": {
        "fr": "{field} est obligatoire.",
        "nl": "{field} is verplicht.",
        "en": "{field} is required.",
    },
    "choice_required": {
        "fr": "Choisissez {field} dans la liste.",
        "nl": "Kies {field} in de lijst.",
        "en": "Choose {field} from the list.",
    },
    "type_not_for_kind": {
        "fr": "Le type d'employé « {type} » n'est pas possible pour {entity} ({kind})\u00a0: "
        "choisissez un autre type.",
        "nl": "Type werknemer ‘{type}’ is niet mogelijk voor {entity} ({kind}): "
        "kies een ander type.",
        "en": "Employee type '{type}' is not possible for {entity} ({kind}): choose another type.",
    },
    "access_type_not_allowed": {
        "fr": "Seul un médecin ou un pharmacien peut demander l'accès à une entité, pas {type}.",
        "nl": "Enkel een arts of apotheker kan toegang tot een entiteit aanvragen, geen {type}.",
        "en": "Only a doctor or pharmacist can request access to an entity, not {type}.",
    },
    "admin_exists": {
        "fr": "Un administrateur avec l'identifiant « {value} » existe déjà.",
        "nl": "Er bestaat al een beheerder met id ‘{value}’.",
        "en": "An administrator with id '{value}' already exists.",
    },
    "invalid_admin_id": {
        "fr": "L'identifiant d'administrateur « {value} » n'est pas valide : 1 à 32 caractères, "
        "lettres minuscules sans accent, chiffres, « . », « _ » et « - », en commençant par "
        "une lettre ou un chiffre.",
        "nl": "Beheerders-id ‘{value}’ is ongeldig: 1 tot 32 tekens, kleine letters zonder "
        "accent, cijfers, ‘.’, ‘_’ en ‘-’, beginnend met een letter of cijfer.",
        "en": "Administrator id '{value}' is not valid: 1 to 32 characters, lower-case letters "
        "without accents, digits, '.', '_' and '-', starting with a letter or digit.",
    },
    "invalid_admin_name": {
        "fr": "Le nom d'administrateur « {value} » n'est pas valide : 1 à 100 caractères "
        "imprimables.",
        "nl": "Beheerdersnaam ‘{value}’ is ongeldig: 1 tot 100 afdrukbare tekens.",
        "en": "Administrator name '{value}' is not valid: 1 to 100 printable characters.",
    },
    "no_setting_given": {
        "fr": "Aucun réglage à changer\u00a0: donnez-en au moins un.",
        "nl": "Geen instelling om te wijzigen: geef er minstens één.",
        "en": "No setting to change: give at least one.",
    },
    "unknown_setting": {
        "fr": "Le réglage « {value} » n'existe pas.",
        "nl": "De instelling ‘{value}’ bestaat niet.",
        "en": "There is no setting '{value}'.",
    },
    "invalid_setting": {
        "fr": "{setting}\u00a0: « {value} » n'est pas un nombre entier de {low} à {high}.",
        "nl": "{setting}: ‘{value}’ is geen geheel getal van {low} tot {high}.",
        "en": "{setting}: '{value}' is not a whole number from {low} to {high}.",
    },
    "admin_id_reserved": {
        "fr": "L'identifiant « {value} » est réservé à la tâche d'entretien automatique.",
        "nl": "De id ‘{value}’ is voorbehouden aan de automatische onderhoudstaak.",
        "en": "The id '{value}' is reserved for the automatic housekeeping job.",
    },
    "unknown_admin": {
        "fr": "L'administrateur « {value} » n'existe pas.",
        "nl": "Beheerder ‘{value}’ bestaat niet.",
        "en": "There is no administrator '{value}'.",
    },
    "until_required": {
        "fr": "Un MACG est lié jusqu'à la fin de son stage\u00a0: indiquez la date «\u00a0lié "
        "jusqu'au\u00a0».",
        "nl": "Een HAIO is gekoppeld tot het einde van de stage: vul de datum ‘gekoppeld tot’ in.",
        "en": "A GP trainee is linked until their placement ends: give the 'linked until' date.",
    },
    "invalid_until": {
        "fr": "La date « {value} » n'est pas valide\u00a0: tapez-la comme 31/08/2027.",
        "nl": "De datum ‘{value}’ is ongeldig: typ ze als 31/08/2027.",
        "en": "The date '{value}' is not valid: type it as 31/08/2027.",
    },
    "until_out_of_range": {
        "fr": "La date de fin {value} doit tomber entre le {earliest} et le {latest} (au plus "
        "trois ans).",
        "nl": "De einddatum {value} moet tussen {earliest} en {latest} liggen (hoogstens drie "
        "jaar).",
        "en": "The end date {value} must fall between {earliest} and {latest} (three years at "
        "most).",
    },
    "extend_without_end": {
        "fr": "{person} est lié(e) à {entity} sans date de fin\u00a0: il n'y a rien à prolonger.",
        "nl": "{person} is zonder einddatum gekoppeld aan {entity}: er valt niets te verlengen.",
        "en": "{person} is linked to {entity} with no end date: there is nothing to extend.",
    },
    "extend_not_later": {
        "fr": "{person} est déjà lié(e) à {entity} jusqu'au {until}\u00a0: la nouvelle date doit "
        "être plus tardive.",
        "nl": "{person} is al gekoppeld aan {entity} tot {until}: de nieuwe datum moet later "
        "liggen.",
        "en": "{person} is already linked to {entity} until {until}: the new date must be later.",
    },
    "extend_while_leaving": {
        "fr": "La déconnexion de {person} de {entity} est demandée\u00a0: retirez-la d'abord "
        "pour prolonger le lien.",
        "nl": "De ontkoppeling van {person} van {entity} is aangevraagd: trek ze eerst in om de "
        "koppeling te verlengen.",
        "en": "The disconnection of {person} from {entity} is requested: withdraw it first to "
        "extend the link.",
    },
    "pending_extend_exists": {
        "fr": "Une demande de prolongation pour {person} est déjà en attente pour {entity}.",
        "nl": "Er is al een verlengingsaanvraag voor {person} in behandeling voor {entity}.",
        "en": "An extension request for {person} is already pending for {entity}.",
    },
    "note_too_long": {
        "fr": "La note compte {length} caractères\u00a0; {limit} au plus.",
        "nl": "De notitie telt {length} tekens; hoogstens {limit}.",
        "en": "The note has {length} characters; {limit} at most.",
    },
    "review_already_open": {
        "fr": "Une revue annuelle est déjà ouverte (échéance le {due})\u00a0: fermez-la d'abord.",
        "nl": "Er loopt al een jaarlijkse controle (tegen {due}): sluit ze eerst.",
        "en": "A yearly review is already open (due {due}): close it first.",
    },
    "review_due_out_of_range": {
        "fr": "L'échéance {value} doit tomber entre le {earliest} et le {latest}.",
        "nl": "De vervaldag {value} moet tussen {earliest} en {latest} liggen.",
        "en": "The due date {value} must fall between {earliest} and {latest}.",
    },
    "no_review_open": {
        "fr": "Aucune revue annuelle n'est ouverte pour cette entité.",
        "nl": "Er loopt geen jaarlijkse controle voor deze entiteit.",
        "en": "No yearly review is open for this entity.",
    },
    "not_linked_self": {
        "fr": "Vous n'êtes pas lié(e) à cette entité.",
        "nl": "U bent niet gekoppeld aan deze entiteit.",
        "en": "You are not linked to this entity.",
    },
    "import_too_big": {
        "fr": "Le fichier fait {size} octets\u00a0; {limit} au plus. Rien n'a été introduit.",
        "nl": "Het bestand telt {size} bytes; hoogstens {limit}. Er werd niets ingediend.",
        "en": "The file has {size} bytes; {limit} at most. Nothing was filed.",
    },
    "import_not_text": {
        "fr": "Ce n'est pas du texte (des caractères de contrôle ou des données binaires)\u00a0: "
        "donnez les lignes d'un tableur ou d'un fichier CSV. Rien n'a été introduit.",
        "nl": "Dit is geen tekst (stuurtekens of binaire gegevens): geef de regels van een "
        "rekenblad of een CSV-bestand. Er werd niets ingediend.",
        "en": "This is not text (control characters or binary data): give the rows of a "
        "spreadsheet or a CSV file. Nothing was filed.",
    },
    "import_empty": {
        "fr": "Aucune ligne à importer.",
        "nl": "Geen regels om te importeren.",
        "en": "No rows to import.",
    },
    "import_too_many": {
        "fr": "{count} lignes\u00a0; {limit} au plus par import. Rien n'a été introduit.",
        "nl": "{count} regels; hoogstens {limit} per import. Er werd niets ingediend.",
        "en": "{count} rows; {limit} at most per import. Nothing was filed.",
    },
    "import_bad_columns": {
        "fr": "Nombre de colonnes inattendu aux lignes {lines}\u00a0: il faut NISS, nom, "
        "prénom, type et, si besoin, lié jusqu'au. Rien n'a été introduit.",
        "nl": "Onverwacht aantal kolommen op regels {lines}: verwacht worden INSZ, naam, "
        "voornaam, type en zo nodig gekoppeld tot. Er werd niets ingediend.",
        "en": "Unexpected number of columns on lines {lines}: NISS, last name, first name, type "
        "and, if needed, linked until are expected. Nothing was filed.",
    },
    "import_duplicate": {
        "fr": "Cette personne ({value}) figure déjà à la ligne {line}.",
        "nl": "Deze persoon ({value}) staat al op regel {line}.",
        "en": "This person ({value}) is already on line {line}.",
    },
    "import_changed": {
        "fr": "Entre-temps, {count} ligne(s) prête(s) ne le sont plus (une autre session a agi)"
        "\u00a0: rien n'a été introduit. Vérifiez l'aperçu à nouveau.",
        "nl": "Intussen zijn {count} klare regel(s) dat niet meer (een andere sessie was actief): "
        "er werd niets ingediend. Bekijk het overzicht opnieuw.",
        "en": "Meanwhile {count} ready row(s) no longer are (another session acted): nothing "
        "was filed. Check the preview again.",
    },
    "macg_needs_doctor.admin": {
        "fr": "{person} ne peut être lié(e) à {entity} comme MACG que par la demande de son "
        "médecin responsable, pas directement par un administrateur.",
        "nl": "{person} kan enkel via de aanvraag van de verantwoordelijke arts als HAIO aan "
        "{entity} gekoppeld worden, niet rechtstreeks door een beheerder.",
        "en": "{person} can be linked to {entity} as a GP trainee only through their "
        "supervising doctor's request, not directly by an administrator.",
    },
    "list_mailed_recently": {
        "fr": "La liste a déjà été envoyée il y a moins d'une heure\u00a0: réessayez dans "
        "{minutes}\u00a0minute(s).",
        "nl": "De lijst werd minder dan een uur geleden al verstuurd: probeer opnieuw over "
        "{minutes} minuut/minuten.",
        "en": "The list was sent less than an hour ago: try again in {minutes} minute(s).",
    },
    "expired.reason": {
        "fr": "aucune décision dans les {days}\u00a0jours",
        "nl": "geen beslissing binnen {days} dagen",
        "en": "no decision within {days} days",
    },
}

# Translated fragments that messages insert through a parameter.
FRAGMENTS: dict[str, dict[str, str]] = {
    "niss.length": {
        "fr": "il faut 11 chiffres",
        "nl": "er zijn 11 cijfers nodig",
        "en": "it needs 11 digits",
    },
    "niss.characters": {
        "fr": "seuls les chiffres et les séparateurs « . », « - » et espace sont permis",
        "nl": "enkel cijfers en de scheidingstekens ‘.’, ‘-’ en spatie zijn toegelaten",
        "en": "only digits and the separators '.', '-' and space are allowed",
    },
    "niss.date": {
        "fr": "la date de naissance (AA.MM.JJ) n'existe pas",
        "nl": "de geboortedatum (JJ.MM.DD) bestaat niet",
        "en": "the date of birth (YY.MM.DD) does not exist",
    },
    "niss.checksum": {
        "fr": "les chiffres de contrôle (les deux derniers) ne correspondent pas",
        "nl": "de controlecijfers (de laatste twee) kloppen niet",
        "en": "the check digits (the last two) do not match",
    },
    "niss.zeros": {
        "fr": "un numéro fait uniquement de zéros n'est attribué à personne",
        "nl": "een nummer van enkel nullen is aan niemand toegekend",
        "en": "a number of zeros only is nobody's number",
    },
    "script.cyrillic": {"fr": "cyrillique", "nl": "het Cyrillisch", "en": "Cyrillic"},
    "script.greek": {"fr": "grec", "nl": "het Grieks", "en": "Greek"},
    "script.other": {
        "fr": "caractères d'un autre alphabet que le latin",
        "nl": "een ander schrift dan het Latijnse",
        "en": "a script other than Latin",
    },
    "field.last_name": {"fr": "Le nom", "nl": "De naam", "en": "The last name"},
    "field.first_name": {"fr": "Le prénom", "nl": "De voornaam", "en": "The first name"},
    "field.name": {"fr": "Le nom", "nl": "De naam", "en": "The name"},
    "field.entity_name": {
        "fr": "Le nom de l'entité",
        "nl": "De naam van de entiteit",
        "en": "The entity name",
    },
    "field.email": {
        "fr": "L'adresse électronique",
        "nl": "Het e-mailadres",
        "en": "The e-mail address",
    },
    "field.reason": {"fr": "La raison", "nl": "De reden", "en": "The reason"},
    "field.niss": {
        "fr": "Le numéro de registre national",
        "nl": "Het rijksregisternummer",
        "en": "The national register number",
    },
    "field.note": {"fr": "La note", "nl": "De notitie", "en": "The note"},
    "field.until": {"fr": "La date de fin", "nl": "De einddatum", "en": "The end date"},
    "field.entity_id": {"fr": "L'identifiant", "nl": "De id", "en": "The id"},
    "choice.employee_type": {"fr": "le type", "nl": "het type", "en": "the type"},
    "choice.entity": {"fr": "l'entité", "nl": "de entiteit", "en": "the entity"},
    "choice.kind": {"fr": "le genre d'entité", "nl": "de soort entiteit", "en": "the kind"},
    "choice.language": {"fr": "la langue", "nl": "de taal", "en": "the language"},
}

# Parameters whose value is a fragment key or a vocabulary code, translated at render time.
_TRANSLATED = {"detail", "field", "script"}
# Parameters that echo what somebody typed: a 20 MB value must not make a 20 MB message.
_ECHOED = {"value", "niss", "request", "mail"}
ECHO_LIMIT = 80


def fragment(key: str, lang: str) -> str:
    texts = FRAGMENTS.get(key)
    if texts is None:
        return key
    return texts.get(lang) or texts["fr"]


def render(code: str, lang: str, params: Mapping[str, Any]) -> str:
    from rules.text import printable
    from rules.vocabulary import kind_label, status_label, type_label

    texts = MESSAGES.get(code)
    if texts is None:
        return code
    template = texts.get(lang) or texts["fr"]
    values: dict[str, Any] = {}
    for key, value in params.items():
        if key in _TRANSLATED:
            values[key] = fragment(str(value), lang)
        elif key == "type":
            values[key] = type_label(str(value), lang)
        elif key == "status":
            values[key] = status_label(str(value), lang)
        elif key == "kind":
            values[key] = kind_label(str(value), lang)
        elif isinstance(value, str) or key in _ECHOED:
            # A message is printed to terminals: what a person or a file supplied is shown, never
            # obeyed, wherever the message ends up; and a 20 MB name is not echoed whole.
            text = printable(value)
            if key in _ECHOED and len(text) > ECHO_LIMIT:
                text = text[: ECHO_LIMIT - 1] + "…"
            values[key] = text
        else:
            values[key] = value
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        # A missing parameter must never turn a refusal into a crash.
        return template
