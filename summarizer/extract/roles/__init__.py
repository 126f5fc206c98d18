"""Role deciders: mentions in, roles out (figure -> killed/injured/kidnapped/other and its incident;
name -> perpetrator/victim/target/claimant/other; claim -> its source; place -> the incident's place).
Learned where it measures better, the rules as features and fallback."""
